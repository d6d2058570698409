-- AlterTable
ALTER TABLE "Image" ADD COLUMN "declaredBytes" BIGINT;

-- CreateTable
CREATE TABLE "PeriodicTask" (
    "zoneId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,

    PRIMARY KEY ("zoneId", "name"),
    CONSTRAINT "PeriodicTask_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

