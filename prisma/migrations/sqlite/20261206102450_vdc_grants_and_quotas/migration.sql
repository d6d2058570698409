-- CreateTable
CREATE TABLE "Quota" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER,
    "groupId" INTEGER,
    "datastoreId" INTEGER,
    "maxBytes" BIGINT,
    "maxImages" INTEGER,
    "maxTransfers" INTEGER,
    CONSTRAINT "Quota_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Quota_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Quota_datastoreId_fkey" FOREIGN KEY ("datastoreId") REFERENCES "Datastore" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_VdcResource" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "vdcId" INTEGER NOT NULL,
    "zoneId" INTEGER NOT NULL,
    "resourceType" TEXT NOT NULL,
    "resourceId" INTEGER,
    CONSTRAINT "VdcResource_vdcId_fkey" FOREIGN KEY ("vdcId") REFERENCES "Vdc" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "VdcResource_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_VdcResource" ("id", "resourceId", "resourceType", "vdcId", "zoneId") SELECT "id", "resourceId", "resourceType", "vdcId", "zoneId" FROM "VdcResource";
DROP TABLE "VdcResource";
ALTER TABLE "new_VdcResource" RENAME TO "VdcResource";
CREATE INDEX "VdcResource_resourceType_resourceId_idx" ON "VdcResource"("resourceType", "resourceId");
CREATE UNIQUE INDEX "VdcResource_vdcId_zoneId_resourceType_resourceId_key" ON "VdcResource"("vdcId", "zoneId", "resourceType", "resourceId");
CREATE TABLE "new_Image" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "zoneId" INTEGER NOT NULL,
    "datastoreId" INTEGER NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'OS',
    "state" TEXT NOT NULL DEFAULT 'INIT',
    "error" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "format" TEXT NOT NULL DEFAULT '',
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "reservedBytes" BIGINT NOT NULL DEFAULT 0,
    "virtualSizeBytes" BIGINT NOT NULL DEFAULT 0,
    "md5" TEXT NOT NULL DEFAULT '',
    "sha256" TEXT NOT NULL DEFAULT '',
    "origin" TEXT NOT NULL,
    "sourceUrl" TEXT NOT NULL DEFAULT '',
    "expectedMd5" TEXT NOT NULL DEFAULT '',
    "expectedSha256" TEXT NOT NULL DEFAULT '',
    "uploadId" TEXT NOT NULL DEFAULT '',
    "declaredBytes" BIGINT,
    "storageKey" TEXT NOT NULL DEFAULT '',
    "readers" INTEGER NOT NULL DEFAULT 0,
    "fromAppId" INTEGER,
    "ownerId" INTEGER NOT NULL,
    "groupId" INTEGER NOT NULL,
    "ownerRights" INTEGER NOT NULL DEFAULT 6,
    "groupRights" INTEGER NOT NULL DEFAULT 0,
    "otherRights" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Image_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Image_datastoreId_fkey" FOREIGN KEY ("datastoreId") REFERENCES "Datastore" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Image_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Image_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Image" ("createdAt", "datastoreId", "declaredBytes", "description", "error", "expectedMd5", "expectedSha256", "format", "fromAppId", "groupId", "groupRights", "id", "md5", "name", "origin", "otherRights", "ownerId", "ownerRights", "readers", "sha256", "sizeBytes", "sourceUrl", "state", "storageKey", "type", "updatedAt", "uploadId", "virtualSizeBytes", "zoneId") SELECT "createdAt", "datastoreId", "declaredBytes", "description", "error", "expectedMd5", "expectedSha256", "format", "fromAppId", "groupId", "groupRights", "id", "md5", "name", "origin", "otherRights", "ownerId", "ownerRights", "readers", "sha256", "sizeBytes", "sourceUrl", "state", "storageKey", "type", "updatedAt", "uploadId", "virtualSizeBytes", "zoneId" FROM "Image";
DROP TABLE "Image";
ALTER TABLE "new_Image" RENAME TO "Image";
CREATE INDEX "Image_fromAppId_idx" ON "Image"("fromAppId");
CREATE INDEX "Image_datastoreId_idx" ON "Image"("datastoreId");
CREATE INDEX "Image_uploadId_idx" ON "Image"("uploadId");
CREATE INDEX "Image_zoneId_state_idx" ON "Image"("zoneId", "state");
CREATE INDEX "Image_groupId_idx" ON "Image"("groupId");
CREATE UNIQUE INDEX "Image_ownerId_name_key" ON "Image"("ownerId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Quota_userId_idx" ON "Quota"("userId");

-- CreateIndex
CREATE INDEX "Quota_groupId_idx" ON "Quota"("groupId");

-- CreateIndex
CREATE INDEX "Quota_datastoreId_idx" ON "Quota"("datastoreId");

