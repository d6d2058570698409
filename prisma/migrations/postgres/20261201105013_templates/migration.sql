-- AlterTable
ALTER TABLE "MarketplaceApp" ADD COLUMN     "originTemplateId" INTEGER,
ADD COLUMN     "serviceTemplate" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "MarketplaceAppChild" (
    "parentId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "childId" INTEGER NOT NULL,
    "slot" TEXT NOT NULL,
    "created" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "MarketplaceAppChild_pkey" PRIMARY KEY ("parentId","position")
);

-- CreateTable
CREATE TABLE "VmTemplate" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VmTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceTemplate" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceTemplate_pkey" PRIMARY KEY ("id")
);

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

-- AddForeignKey
ALTER TABLE "MarketplaceAppChild" ADD CONSTRAINT "MarketplaceAppChild_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "MarketplaceApp"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MarketplaceAppChild" ADD CONSTRAINT "MarketplaceAppChild_childId_fkey" FOREIGN KEY ("childId") REFERENCES "MarketplaceApp"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmTemplate" ADD CONSTRAINT "VmTemplate_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmTemplate" ADD CONSTRAINT "VmTemplate_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmTemplate" ADD CONSTRAINT "VmTemplate_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceTemplate" ADD CONSTRAINT "ServiceTemplate_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceTemplate" ADD CONSTRAINT "ServiceTemplate_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceTemplate" ADD CONSTRAINT "ServiceTemplate_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

