-- AlterTable
ALTER TABLE "Marketplace" ADD COLUMN     "catalogSkipped" TEXT NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "MarketplaceApp" ADD COLUMN     "logoUrl" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "missedMonitors" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "shortDescription" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "upstreamDigest" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "upstreamKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "MarketplaceApp_marketplaceId_upstreamKey_key" ON "MarketplaceApp"("marketplaceId", "upstreamKey");

