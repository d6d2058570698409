-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "declaredBytes" BIGINT;

-- CreateTable
CREATE TABLE "PeriodicTask" (
    "zoneId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PeriodicTask_pkey" PRIMARY KEY ("zoneId","name")
);

-- AddForeignKey
ALTER TABLE "PeriodicTask" ADD CONSTRAINT "PeriodicTask_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

