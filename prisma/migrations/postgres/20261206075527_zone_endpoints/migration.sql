-- AlterTable
ALTER TABLE "Zone" ALTER COLUMN "endpoint" DROP NOT NULL,
ALTER COLUMN "endpoint" DROP DEFAULT;


-- an empty endpoint meant "not known"
UPDATE "Zone" SET "endpoint" = NULL WHERE "endpoint" = '';
