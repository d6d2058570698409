-- CreateTable
CREATE TABLE "CatalogToken" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "marketplaceId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    CONSTRAINT "CatalogToken_marketplaceId_fkey" FOREIGN KEY ("marketplaceId") REFERENCES "Marketplace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Marketplace" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "monitoredAt" DATETIME,
    "monitorError" TEXT NOT NULL DEFAULT '',
    "monitorDueAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "catalogSkipped" TEXT NOT NULL DEFAULT '[]',
    "catalogExport" TEXT NOT NULL DEFAULT 'off',
    "ownerId" INTEGER NOT NULL,
    "groupId" INTEGER NOT NULL,
    "ownerRights" INTEGER NOT NULL DEFAULT 6,
    "groupRights" INTEGER NOT NULL DEFAULT 0,
    "otherRights" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Marketplace_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Marketplace_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Marketplace_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Marketplace" ("catalogSkipped", "config", "createdAt", "description", "driver", "enabled", "freeBytes", "groupId", "groupRights", "id", "monitorDueAt", "monitorError", "monitoredAt", "name", "otherRights", "ownerId", "ownerRights", "secrets", "totalBytes", "updatedAt", "usedBytes", "zoneId") SELECT "catalogSkipped", "config", "createdAt", "description", "driver", "enabled", "freeBytes", "groupId", "groupRights", "id", "monitorDueAt", "monitorError", "monitoredAt", "name", "otherRights", "ownerId", "ownerRights", "secrets", "totalBytes", "updatedAt", "usedBytes", "zoneId" FROM "Marketplace";
DROP TABLE "Marketplace";
ALTER TABLE "new_Marketplace" RENAME TO "Marketplace";
CREATE UNIQUE INDEX "Marketplace_name_key" ON "Marketplace"("name");
CREATE INDEX "Marketplace_ownerId_idx" ON "Marketplace"("ownerId");
CREATE INDEX "Marketplace_groupId_idx" ON "Marketplace"("groupId");
CREATE INDEX "Marketplace_monitorDueAt_idx" ON "Marketplace"("monitorDueAt");
CREATE TABLE "new_MarketplaceApp" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "incusFingerprint" TEXT NOT NULL DEFAULT '',
    "storageKey" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT '',
    "imageTemplate" TEXT NOT NULL DEFAULT '{}',
    "vmTemplate" TEXT NOT NULL DEFAULT '',
    "serviceTemplate" TEXT NOT NULL DEFAULT '',
    "originImageId" INTEGER,
    "originTemplateId" INTEGER,
    "lockLevel" TEXT,
    "upstreamKey" TEXT,
    "upstreamDigest" TEXT NOT NULL DEFAULT '',
    "missedMonitors" INTEGER NOT NULL DEFAULT 0,
    "shortDescription" TEXT NOT NULL DEFAULT '',
    "logoUrl" TEXT NOT NULL DEFAULT '',
    "ownerId" INTEGER NOT NULL,
    "groupId" INTEGER NOT NULL,
    "ownerRights" INTEGER NOT NULL DEFAULT 6,
    "groupRights" INTEGER NOT NULL DEFAULT 4,
    "otherRights" INTEGER NOT NULL DEFAULT 4,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MarketplaceApp_marketplaceId_fkey" FOREIGN KEY ("marketplaceId") REFERENCES "Marketplace" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "MarketplaceApp_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "MarketplaceApp_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "MarketplaceApp_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_MarketplaceApp" ("architecture", "createdAt", "description", "error", "format", "groupId", "groupRights", "hypervisor", "id", "imageTemplate", "lockLevel", "logoUrl", "marketplaceId", "md5", "missedMonitors", "name", "originImageId", "originTemplateId", "otherRights", "ownerId", "ownerRights", "publisher", "serviceTemplate", "sha256", "shortDescription", "sizeBytes", "source", "state", "storageKey", "tags", "type", "updatedAt", "upstreamDigest", "upstreamKey", "version", "virtualSizeBytes", "vmTemplate", "zoneId") SELECT "architecture", "createdAt", "description", "error", "format", "groupId", "groupRights", "hypervisor", "id", "imageTemplate", "lockLevel", "logoUrl", "marketplaceId", "md5", "missedMonitors", "name", "originImageId", "originTemplateId", "otherRights", "ownerId", "ownerRights", "publisher", "serviceTemplate", "sha256", "shortDescription", "sizeBytes", "source", "state", "storageKey", "tags", "type", "updatedAt", "upstreamDigest", "upstreamKey", "version", "virtualSizeBytes", "vmTemplate", "zoneId" FROM "MarketplaceApp";
DROP TABLE "MarketplaceApp";
ALTER TABLE "new_MarketplaceApp" RENAME TO "MarketplaceApp";
CREATE INDEX "MarketplaceApp_name_idx" ON "MarketplaceApp"("name");
CREATE INDEX "MarketplaceApp_state_idx" ON "MarketplaceApp"("state");
CREATE INDEX "MarketplaceApp_createdAt_idx" ON "MarketplaceApp"("createdAt");
CREATE INDEX "MarketplaceApp_ownerId_idx" ON "MarketplaceApp"("ownerId");
CREATE INDEX "MarketplaceApp_groupId_idx" ON "MarketplaceApp"("groupId");
CREATE INDEX "MarketplaceApp_originImageId_idx" ON "MarketplaceApp"("originImageId");
CREATE UNIQUE INDEX "MarketplaceApp_marketplaceId_name_key" ON "MarketplaceApp"("marketplaceId", "name");
CREATE UNIQUE INDEX "MarketplaceApp_marketplaceId_upstreamKey_key" ON "MarketplaceApp"("marketplaceId", "upstreamKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "CatalogToken_secretHash_key" ON "CatalogToken"("secretHash");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogToken_marketplaceId_name_key" ON "CatalogToken"("marketplaceId", "name");

