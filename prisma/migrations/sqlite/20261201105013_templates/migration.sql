-- CreateTable
CREATE TABLE "MarketplaceAppChild" (
    "parentId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "childId" INTEGER NOT NULL,
    "slot" TEXT NOT NULL,
    "created" BOOLEAN NOT NULL DEFAULT true,

    PRIMARY KEY ("parentId", "position"),
    CONSTRAINT "MarketplaceAppChild_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "MarketplaceApp" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MarketplaceAppChild_childId_fkey" FOREIGN KEY ("childId") REFERENCES "MarketplaceApp" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VmTemplate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "zoneId" INTEGER NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "template" TEXT NOT NULL DEFAULT '',
    "fromAppId" INTEGER,
    "ownerId" INTEGER NOT NULL,
    "groupId" INTEGER NOT NULL,
    "ownerRights" INTEGER NOT NULL DEFAULT 6,
    "groupRights" INTEGER NOT NULL DEFAULT 0,
    "otherRights" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "VmTemplate_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "VmTemplate_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "VmTemplate_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServiceTemplate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "zoneId" INTEGER NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "body" TEXT NOT NULL DEFAULT '{}',
    "fromAppId" INTEGER,
    "ownerId" INTEGER NOT NULL,
    "groupId" INTEGER NOT NULL,
    "ownerRights" INTEGER NOT NULL DEFAULT 6,
    "groupRights" INTEGER NOT NULL DEFAULT 0,
    "otherRights" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ServiceTemplate_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ServiceTemplate_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ServiceTemplate_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "storageKey" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT '',
    "imageTemplate" TEXT NOT NULL DEFAULT '{}',
    "vmTemplate" TEXT NOT NULL DEFAULT '',
    "serviceTemplate" TEXT NOT NULL DEFAULT '',
    "originImageId" INTEGER,
    "originTemplateId" INTEGER,
    "lockLevel" TEXT,
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
INSERT INTO "new_MarketplaceApp" ("architecture", "createdAt", "description", "error", "format", "groupId", "groupRights", "hypervisor", "id", "imageTemplate", "lockLevel", "marketplaceId", "md5", "name", "originImageId", "otherRights", "ownerId", "ownerRights", "publisher", "sha256", "sizeBytes", "source", "state", "storageKey", "tags", "type", "updatedAt", "version", "virtualSizeBytes", "vmTemplate", "zoneId") SELECT "architecture", "createdAt", "description", "error", "format", "groupId", "groupRights", "hypervisor", "id", "imageTemplate", "lockLevel", "marketplaceId", "md5", "name", "originImageId", "otherRights", "ownerId", "ownerRights", "publisher", "sha256", "sizeBytes", "source", "state", "storageKey", "tags", "type", "updatedAt", "version", "virtualSizeBytes", "vmTemplate", "zoneId" FROM "MarketplaceApp";
DROP TABLE "MarketplaceApp";
ALTER TABLE "new_MarketplaceApp" RENAME TO "MarketplaceApp";
CREATE INDEX "MarketplaceApp_name_idx" ON "MarketplaceApp"("name");
CREATE INDEX "MarketplaceApp_state_idx" ON "MarketplaceApp"("state");
CREATE INDEX "MarketplaceApp_createdAt_idx" ON "MarketplaceApp"("createdAt");
CREATE INDEX "MarketplaceApp_ownerId_idx" ON "MarketplaceApp"("ownerId");
CREATE INDEX "MarketplaceApp_groupId_idx" ON "MarketplaceApp"("groupId");
CREATE INDEX "MarketplaceApp_originImageId_idx" ON "MarketplaceApp"("originImageId");
CREATE UNIQUE INDEX "MarketplaceApp_marketplaceId_name_key" ON "MarketplaceApp"("marketplaceId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "MarketplaceAppChild_childId_idx" ON "MarketplaceAppChild"("childId");

-- CreateIndex
CREATE INDEX "VmTemplate_zoneId_idx" ON "VmTemplate"("zoneId");

-- CreateIndex
CREATE INDEX "VmTemplate_groupId_idx" ON "VmTemplate"("groupId");

-- CreateIndex
CREATE UNIQUE INDEX "VmTemplate_ownerId_name_key" ON "VmTemplate"("ownerId", "name");

-- CreateIndex
CREATE INDEX "ServiceTemplate_zoneId_idx" ON "ServiceTemplate"("zoneId");

-- CreateIndex
CREATE INDEX "ServiceTemplate_groupId_idx" ON "ServiceTemplate"("groupId");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceTemplate_ownerId_name_key" ON "ServiceTemplate"("ownerId", "name");

