-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "fromAppId" INTEGER;

-- CreateTable
CREATE TABLE "Marketplace" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "zoneId" INTEGER NOT NULL,
    "driver" TEXT NOT NULL,
    "config" TEXT NOT NULL DEFAULT '{}',
    "secrets" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "totalBytes" BIGINT,
    "freeBytes" BIGINT,
    "usedBytes" BIGINT,
    "monitoredAt" TIMESTAMP(3),
    "monitorError" TEXT NOT NULL DEFAULT '',
    "monitorDueAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ownerId" INTEGER NOT NULL,
    "groupId" INTEGER NOT NULL,
    "ownerRights" INTEGER NOT NULL DEFAULT 6,
    "groupRights" INTEGER NOT NULL DEFAULT 0,
    "otherRights" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Marketplace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MarketplaceApp" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "marketplaceId" INTEGER NOT NULL,
    "zoneId" INTEGER NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'IMAGE',
    "state" TEXT NOT NULL DEFAULT 'INIT',
    "error" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "version" TEXT NOT NULL DEFAULT '0.0',
    "publisher" TEXT NOT NULL DEFAULT '',
    "tags" TEXT NOT NULL DEFAULT '',
    "hypervisor" TEXT NOT NULL DEFAULT '',
    "architecture" TEXT NOT NULL DEFAULT '',
    "format" TEXT NOT NULL DEFAULT '',
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "virtualSizeBytes" BIGINT NOT NULL DEFAULT 0,
    "md5" TEXT NOT NULL DEFAULT '',
    "sha256" TEXT NOT NULL DEFAULT '',
    "storageKey" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT '',
    "imageTemplate" TEXT NOT NULL DEFAULT '{}',
    "vmTemplate" TEXT NOT NULL DEFAULT '',
    "originImageId" INTEGER,
    "lockLevel" TEXT,
    "ownerId" INTEGER NOT NULL,
    "groupId" INTEGER NOT NULL,
    "ownerRights" INTEGER NOT NULL DEFAULT 6,
    "groupRights" INTEGER NOT NULL DEFAULT 4,
    "otherRights" INTEGER NOT NULL DEFAULT 4,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MarketplaceApp_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Marketplace_name_key" ON "Marketplace"("name");

-- CreateIndex
CREATE INDEX "Marketplace_ownerId_idx" ON "Marketplace"("ownerId");

-- CreateIndex
CREATE INDEX "Marketplace_groupId_idx" ON "Marketplace"("groupId");

-- CreateIndex
CREATE INDEX "Marketplace_monitorDueAt_idx" ON "Marketplace"("monitorDueAt");

-- CreateIndex
CREATE INDEX "MarketplaceApp_name_idx" ON "MarketplaceApp"("name");

-- CreateIndex
CREATE INDEX "MarketplaceApp_state_idx" ON "MarketplaceApp"("state");

-- CreateIndex
CREATE INDEX "MarketplaceApp_createdAt_idx" ON "MarketplaceApp"("createdAt");

-- CreateIndex
CREATE INDEX "MarketplaceApp_ownerId_idx" ON "MarketplaceApp"("ownerId");

-- CreateIndex
CREATE INDEX "MarketplaceApp_groupId_idx" ON "MarketplaceApp"("groupId");

-- CreateIndex
CREATE INDEX "MarketplaceApp_originImageId_idx" ON "MarketplaceApp"("originImageId");

-- CreateIndex
CREATE UNIQUE INDEX "MarketplaceApp_marketplaceId_name_key" ON "MarketplaceApp"("marketplaceId", "name");

-- CreateIndex
CREATE INDEX "Image_fromAppId_idx" ON "Image"("fromAppId");

-- AddForeignKey
ALTER TABLE "Marketplace" ADD CONSTRAINT "Marketplace_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Marketplace" ADD CONSTRAINT "Marketplace_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Marketplace" ADD CONSTRAINT "Marketplace_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MarketplaceApp" ADD CONSTRAINT "MarketplaceApp_marketplaceId_fkey" FOREIGN KEY ("marketplaceId") REFERENCES "Marketplace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MarketplaceApp" ADD CONSTRAINT "MarketplaceApp_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MarketplaceApp" ADD CONSTRAINT "MarketplaceApp_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MarketplaceApp" ADD CONSTRAINT "MarketplaceApp_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

