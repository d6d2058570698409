-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Zone" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "endpoint" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Zone" ("createdAt", "description", "endpoint", "id", "name", "updatedAt") SELECT "createdAt", "description", "endpoint", "id", "name", "updatedAt" FROM "Zone";
DROP TABLE "Zone";
ALTER TABLE "new_Zone" RENAME TO "Zone";
CREATE UNIQUE INDEX "Zone_name_key" ON "Zone"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- an empty endpoint meant "not known"
UPDATE "Zone" SET "endpoint" = NULL WHERE "endpoint" = '';
