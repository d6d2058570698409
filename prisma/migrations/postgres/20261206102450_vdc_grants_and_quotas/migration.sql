-- AlterTable
ALTER TABLE "VdcResource" ALTER COLUMN "resourceId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "reservedBytes" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Quota" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER,
    "groupId" INTEGER,
    "datastoreId" INTEGER,
    "maxBytes" BIGINT,
    "maxImages" INTEGER,
    "maxTransfers" INTEGER,

    CONSTRAINT "Quota_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Quota_userId_idx" ON "Quota"("userId");

-- CreateIndex
CREATE INDEX "Quota_groupId_idx" ON "Quota"("groupId");

-- CreateIndex
CREATE INDEX "Quota_datastoreId_idx" ON "Quota"("datastoreId");

-- CreateIndex
CREATE INDEX "VdcResource_resourceType_resourceId_idx" ON "VdcResource"("resourceType", "resourceId");

-- AddForeignKey
ALTER TABLE "Quota" ADD CONSTRAINT "Quota_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quota" ADD CONSTRAINT "Quota_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quota" ADD CONSTRAINT "Quota_datastoreId_fkey" FOREIGN KEY ("datastoreId") REFERENCES "Datastore"("id") ON DELETE CASCADE ON UPDATE CASCADE;

