-- AlterTable
ALTER TABLE "Marketplace" ADD COLUMN     "catalogExport" TEXT NOT NULL DEFAULT 'off';

-- AlterTable
ALTER TABLE "MarketplaceApp" ADD COLUMN     "incusFingerprint" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "CatalogToken" (
    "id" SERIAL NOT NULL,
    "marketplaceId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "CatalogToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CatalogToken_secretHash_key" ON "CatalogToken"("secretHash");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogToken_marketplaceId_name_key" ON "CatalogToken"("marketplaceId", "name");

-- AddForeignKey
ALTER TABLE "CatalogToken" ADD CONSTRAINT "CatalogToken_marketplaceId_fkey" FOREIGN KEY ("marketplaceId") REFERENCES "Marketplace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

