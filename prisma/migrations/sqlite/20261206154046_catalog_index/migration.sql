-- CreateTable
CREATE TABLE "AppVisClass" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ownerId" INTEGER NOT NULL,
    "groupId" INTEGER NOT NULL,
    "marketplaceId" INTEGER NOT NULL,
    "ownerUse" INTEGER NOT NULL,
    "groupUse" INTEGER NOT NULL,
    "otherUse" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "AppCatalogCount" (
    "visClass" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "zoneId" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "hypervisor" TEXT NOT NULL,
    "architecture" TEXT NOT NULL,
    "apps" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture")
);

-- CreateTable
CREATE TABLE "AppTagCount" (
    "visClass" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,
    "apps" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("visClass", "tag")
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
    "visClass" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MarketplaceApp_marketplaceId_fkey" FOREIGN KEY ("marketplaceId") REFERENCES "Marketplace" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "MarketplaceApp_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "MarketplaceApp_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "MarketplaceApp_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_MarketplaceApp" ("architecture", "createdAt", "description", "error", "format", "groupId", "groupRights", "hypervisor", "id", "imageTemplate", "incusFingerprint", "lockLevel", "logoUrl", "marketplaceId", "md5", "missedMonitors", "name", "originImageId", "originTemplateId", "otherRights", "ownerId", "ownerRights", "publisher", "serviceTemplate", "sha256", "shortDescription", "sizeBytes", "source", "state", "storageKey", "tags", "type", "updatedAt", "upstreamDigest", "upstreamKey", "version", "virtualSizeBytes", "vmTemplate", "zoneId") SELECT "architecture", "createdAt", "description", "error", "format", "groupId", "groupRights", "hypervisor", "id", "imageTemplate", "incusFingerprint", "lockLevel", "logoUrl", "marketplaceId", "md5", "missedMonitors", "name", "originImageId", "originTemplateId", "otherRights", "ownerId", "ownerRights", "publisher", "serviceTemplate", "sha256", "shortDescription", "sizeBytes", "source", "state", "storageKey", "tags", "type", "updatedAt", "upstreamDigest", "upstreamKey", "version", "virtualSizeBytes", "vmTemplate", "zoneId" FROM "MarketplaceApp";
DROP TABLE "MarketplaceApp";
ALTER TABLE "new_MarketplaceApp" RENAME TO "MarketplaceApp";
CREATE INDEX "MarketplaceApp_name_id_visClass_idx" ON "MarketplaceApp"("name", "id", "visClass");
CREATE INDEX "MarketplaceApp_state_id_visClass_idx" ON "MarketplaceApp"("state", "id", "visClass");
CREATE INDEX "MarketplaceApp_createdAt_id_visClass_idx" ON "MarketplaceApp"("createdAt", "id", "visClass");
CREATE INDEX "MarketplaceApp_sizeBytes_id_visClass_idx" ON "MarketplaceApp"("sizeBytes", "id", "visClass");
CREATE INDEX "MarketplaceApp_version_id_visClass_idx" ON "MarketplaceApp"("version", "id", "visClass");
CREATE INDEX "MarketplaceApp_type_id_visClass_idx" ON "MarketplaceApp"("type", "id", "visClass");
CREATE INDEX "MarketplaceApp_id_visClass_idx" ON "MarketplaceApp"("id", "visClass");
CREATE INDEX "MarketplaceApp_ownerId_idx" ON "MarketplaceApp"("ownerId");
CREATE INDEX "MarketplaceApp_groupId_idx" ON "MarketplaceApp"("groupId");
CREATE INDEX "MarketplaceApp_originImageId_idx" ON "MarketplaceApp"("originImageId");
CREATE UNIQUE INDEX "MarketplaceApp_marketplaceId_name_key" ON "MarketplaceApp"("marketplaceId", "name");
CREATE UNIQUE INDEX "MarketplaceApp_marketplaceId_upstreamKey_key" ON "MarketplaceApp"("marketplaceId", "upstreamKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "AppVisClass_ownerId_groupId_marketplaceId_ownerUse_groupUse_otherUse_key" ON "AppVisClass"("ownerId", "groupId", "marketplaceId", "ownerUse", "groupUse", "otherUse");


-- Hand-written from here (Prisma cannot express triggers or FTS5): the catalog's index.
-- NOTE for later migrations: redefining "MarketplaceApp" (Prisma's RedefineTables) drops its
-- triggers; such a migration must create the four triggers below again.
--
-- Each app belongs to one visibility class (owner, group, marketplace and the USE bit of each
-- rights digit): "visClass" is set here on every insert and on every update of those columns,
-- whatever code wrote the row. The counts per class (AppCatalogCount, AppTagCount) are kept in
-- the same statements, so the catalog's totals and facets are sums over the few classes a
-- user sees. Tags are stored packed (",a,b,"); the recursive CTEs split them as unpackTags does
-- (empty pieces dropped, each tag counted once per app).

-- the text the catalog's "q" searches (name, description, tags, version): a trigram index,
-- case-folded, that answers substring matches (lib/apps/catalog-query.ts rechecks every
-- candidate with the LIKE the catalog always used, so the rows stay exactly those of LIKE)
CREATE VIRTUAL TABLE "AppSearch" USING fts5(
    "name", "description", "tags", "version",
    content = 'MarketplaceApp', content_rowid = 'id', tokenize = 'trigram'
);

CREATE TRIGGER "MarketplaceApp_catalog_insert" AFTER INSERT ON "MarketplaceApp" BEGIN
    INSERT INTO "AppVisClass" ("ownerId", "groupId", "marketplaceId", "ownerUse", "groupUse", "otherUse")
    SELECT NEW."ownerId", NEW."groupId", NEW."marketplaceId",
           (NEW."ownerRights" & 4) != 0, (NEW."groupRights" & 4) != 0, (NEW."otherRights" & 4) != 0
    WHERE NOT EXISTS (
        SELECT 1 FROM "AppVisClass"
        WHERE "ownerId" = NEW."ownerId" AND "groupId" = NEW."groupId" AND "marketplaceId" = NEW."marketplaceId"
          AND "ownerUse" = ((NEW."ownerRights" & 4) != 0) AND "groupUse" = ((NEW."groupRights" & 4) != 0)
          AND "otherUse" = ((NEW."otherRights" & 4) != 0));
    UPDATE "MarketplaceApp" SET "visClass" = (
        SELECT "id" FROM "AppVisClass"
        WHERE "ownerId" = NEW."ownerId" AND "groupId" = NEW."groupId" AND "marketplaceId" = NEW."marketplaceId"
          AND "ownerUse" = ((NEW."ownerRights" & 4) != 0) AND "groupUse" = ((NEW."groupRights" & 4) != 0)
          AND "otherUse" = ((NEW."otherRights" & 4) != 0))
    WHERE "id" = NEW."id";
    INSERT INTO "AppCatalogCount" ("visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", "apps")
    SELECT a."visClass", a."type", a."state", a."zoneId", a."format", a."hypervisor", a."architecture", 0
    FROM "MarketplaceApp" a WHERE a."id" = NEW."id" AND NOT EXISTS (
        SELECT 1 FROM "AppCatalogCount" c
        WHERE c."visClass" = a."visClass" AND c."type" = a."type" AND c."state" = a."state" AND c."zoneId" = a."zoneId"
          AND c."format" = a."format" AND c."hypervisor" = a."hypervisor" AND c."architecture" = a."architecture");
    UPDATE "AppCatalogCount" SET "apps" = "apps" + 1
    WHERE "visClass" = (SELECT "visClass" FROM "MarketplaceApp" WHERE "id" = NEW."id")
      AND "type" = NEW."type" AND "state" = NEW."state" AND "zoneId" = NEW."zoneId"
      AND "format" = NEW."format" AND "hypervisor" = NEW."hypervisor" AND "architecture" = NEW."architecture";
    INSERT INTO "AppTagCount" ("visClass", "tag", "apps")
    SELECT (SELECT "visClass" FROM "MarketplaceApp" WHERE "id" = NEW."id"), t."tag", 0
    FROM (
        WITH RECURSIVE s("rest", "tag") AS (
            SELECT NEW."tags" || ',', NULL
            UNION ALL
            SELECT substr("rest", instr("rest", ',') + 1), substr("rest", 1, instr("rest", ',') - 1) FROM s WHERE "rest" <> ''
        )
        SELECT DISTINCT "tag" FROM s WHERE "tag" <> ''
    ) t
    WHERE NOT EXISTS (
        SELECT 1 FROM "AppTagCount" c
        WHERE c."visClass" = (SELECT "visClass" FROM "MarketplaceApp" WHERE "id" = NEW."id") AND c."tag" = t."tag");
    UPDATE "AppTagCount" SET "apps" = "apps" + 1
    WHERE "visClass" = (SELECT "visClass" FROM "MarketplaceApp" WHERE "id" = NEW."id")
      AND "tag" IN (
        WITH RECURSIVE s("rest", "tag") AS (
            SELECT NEW."tags" || ',', NULL
            UNION ALL
            SELECT substr("rest", instr("rest", ',') + 1), substr("rest", 1, instr("rest", ',') - 1) FROM s WHERE "rest" <> ''
        )
        SELECT "tag" FROM s WHERE "tag" <> '');
    INSERT INTO "AppSearch" ("rowid", "name", "description", "tags", "version")
    VALUES (NEW."id", NEW."name", NEW."description", NEW."tags", NEW."version");
END;

CREATE TRIGGER "MarketplaceApp_catalog_delete" AFTER DELETE ON "MarketplaceApp" BEGIN
    UPDATE "AppCatalogCount" SET "apps" = "apps" - 1
    WHERE "visClass" = OLD."visClass" AND "type" = OLD."type" AND "state" = OLD."state" AND "zoneId" = OLD."zoneId"
      AND "format" = OLD."format" AND "hypervisor" = OLD."hypervisor" AND "architecture" = OLD."architecture";
    UPDATE "AppTagCount" SET "apps" = "apps" - 1
    WHERE "visClass" = OLD."visClass"
      AND "tag" IN (
        WITH RECURSIVE s("rest", "tag") AS (
            SELECT OLD."tags" || ',', NULL
            UNION ALL
            SELECT substr("rest", instr("rest", ',') + 1), substr("rest", 1, instr("rest", ',') - 1) FROM s WHERE "rest" <> ''
        )
        SELECT "tag" FROM s WHERE "tag" <> '');
    INSERT INTO "AppSearch" ("AppSearch", "rowid", "name", "description", "tags", "version")
    VALUES ('delete', OLD."id", OLD."name", OLD."description", OLD."tags", OLD."version");
END;

-- An update of what the catalog indexes is its delete then its insert (as the two triggers above).
CREATE TRIGGER "MarketplaceApp_catalog_update" AFTER UPDATE OF
    "ownerId", "groupId", "marketplaceId", "ownerRights", "groupRights", "otherRights",
    "type", "state", "zoneId", "format", "hypervisor", "architecture", "tags", "name", "description", "version"
ON "MarketplaceApp" BEGIN
    UPDATE "AppCatalogCount" SET "apps" = "apps" - 1
    WHERE "visClass" = OLD."visClass" AND "type" = OLD."type" AND "state" = OLD."state" AND "zoneId" = OLD."zoneId"
      AND "format" = OLD."format" AND "hypervisor" = OLD."hypervisor" AND "architecture" = OLD."architecture";
    UPDATE "AppTagCount" SET "apps" = "apps" - 1
    WHERE "visClass" = OLD."visClass"
      AND "tag" IN (
        WITH RECURSIVE s("rest", "tag") AS (
            SELECT OLD."tags" || ',', NULL
            UNION ALL
            SELECT substr("rest", instr("rest", ',') + 1), substr("rest", 1, instr("rest", ',') - 1) FROM s WHERE "rest" <> ''
        )
        SELECT "tag" FROM s WHERE "tag" <> '');
    INSERT INTO "AppSearch" ("AppSearch", "rowid", "name", "description", "tags", "version")
    VALUES ('delete', OLD."id", OLD."name", OLD."description", OLD."tags", OLD."version");

    INSERT INTO "AppVisClass" ("ownerId", "groupId", "marketplaceId", "ownerUse", "groupUse", "otherUse")
    SELECT NEW."ownerId", NEW."groupId", NEW."marketplaceId",
           (NEW."ownerRights" & 4) != 0, (NEW."groupRights" & 4) != 0, (NEW."otherRights" & 4) != 0
    WHERE NOT EXISTS (
        SELECT 1 FROM "AppVisClass"
        WHERE "ownerId" = NEW."ownerId" AND "groupId" = NEW."groupId" AND "marketplaceId" = NEW."marketplaceId"
          AND "ownerUse" = ((NEW."ownerRights" & 4) != 0) AND "groupUse" = ((NEW."groupRights" & 4) != 0)
          AND "otherUse" = ((NEW."otherRights" & 4) != 0));
    UPDATE "MarketplaceApp" SET "visClass" = (
        SELECT "id" FROM "AppVisClass"
        WHERE "ownerId" = NEW."ownerId" AND "groupId" = NEW."groupId" AND "marketplaceId" = NEW."marketplaceId"
          AND "ownerUse" = ((NEW."ownerRights" & 4) != 0) AND "groupUse" = ((NEW."groupRights" & 4) != 0)
          AND "otherUse" = ((NEW."otherRights" & 4) != 0))
    WHERE "id" = NEW."id";
    INSERT INTO "AppCatalogCount" ("visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", "apps")
    SELECT a."visClass", a."type", a."state", a."zoneId", a."format", a."hypervisor", a."architecture", 0
    FROM "MarketplaceApp" a WHERE a."id" = NEW."id" AND NOT EXISTS (
        SELECT 1 FROM "AppCatalogCount" c
        WHERE c."visClass" = a."visClass" AND c."type" = a."type" AND c."state" = a."state" AND c."zoneId" = a."zoneId"
          AND c."format" = a."format" AND c."hypervisor" = a."hypervisor" AND c."architecture" = a."architecture");
    UPDATE "AppCatalogCount" SET "apps" = "apps" + 1
    WHERE "visClass" = (SELECT "visClass" FROM "MarketplaceApp" WHERE "id" = NEW."id")
      AND "type" = NEW."type" AND "state" = NEW."state" AND "zoneId" = NEW."zoneId"
      AND "format" = NEW."format" AND "hypervisor" = NEW."hypervisor" AND "architecture" = NEW."architecture";
    INSERT INTO "AppTagCount" ("visClass", "tag", "apps")
    SELECT (SELECT "visClass" FROM "MarketplaceApp" WHERE "id" = NEW."id"), t."tag", 0
    FROM (
        WITH RECURSIVE s("rest", "tag") AS (
            SELECT NEW."tags" || ',', NULL
            UNION ALL
            SELECT substr("rest", instr("rest", ',') + 1), substr("rest", 1, instr("rest", ',') - 1) FROM s WHERE "rest" <> ''
        )
        SELECT DISTINCT "tag" FROM s WHERE "tag" <> ''
    ) t
    WHERE NOT EXISTS (
        SELECT 1 FROM "AppTagCount" c
        WHERE c."visClass" = (SELECT "visClass" FROM "MarketplaceApp" WHERE "id" = NEW."id") AND c."tag" = t."tag");
    UPDATE "AppTagCount" SET "apps" = "apps" + 1
    WHERE "visClass" = (SELECT "visClass" FROM "MarketplaceApp" WHERE "id" = NEW."id")
      AND "tag" IN (
        WITH RECURSIVE s("rest", "tag") AS (
            SELECT NEW."tags" || ',', NULL
            UNION ALL
            SELECT substr("rest", instr("rest", ',') + 1), substr("rest", 1, instr("rest", ',') - 1) FROM s WHERE "rest" <> ''
        )
        SELECT "tag" FROM s WHERE "tag" <> '');
    INSERT INTO "AppSearch" ("rowid", "name", "description", "tags", "version")
    VALUES (NEW."id", NEW."name", NEW."description", NEW."tags", NEW."version");
END;

-- the apps that exist already: their classes, counts and search entries
INSERT INTO "AppVisClass" ("ownerId", "groupId", "marketplaceId", "ownerUse", "groupUse", "otherUse")
SELECT DISTINCT "ownerId", "groupId", "marketplaceId",
       ("ownerRights" & 4) != 0, ("groupRights" & 4) != 0, ("otherRights" & 4) != 0
FROM "MarketplaceApp";
UPDATE "MarketplaceApp" SET "visClass" = (
    SELECT c."id" FROM "AppVisClass" c
    WHERE c."ownerId" = "MarketplaceApp"."ownerId" AND c."groupId" = "MarketplaceApp"."groupId"
      AND c."marketplaceId" = "MarketplaceApp"."marketplaceId"
      AND c."ownerUse" = (("MarketplaceApp"."ownerRights" & 4) != 0)
      AND c."groupUse" = (("MarketplaceApp"."groupRights" & 4) != 0)
      AND c."otherUse" = (("MarketplaceApp"."otherRights" & 4) != 0));
INSERT INTO "AppCatalogCount" ("visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", "apps")
SELECT "visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", count(*)
FROM "MarketplaceApp" GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO "AppTagCount" ("visClass", "tag", "apps")
WITH RECURSIVE s("id", "visClass", "rest", "tag") AS (
    SELECT "id", "visClass", "tags" || ',', NULL FROM "MarketplaceApp"
    UNION ALL
    SELECT "id", "visClass", substr("rest", instr("rest", ',') + 1), substr("rest", 1, instr("rest", ',') - 1) FROM s WHERE "rest" <> ''
)
SELECT "visClass", "tag", count(DISTINCT "id") FROM s WHERE "tag" <> '' GROUP BY 1, 2;
INSERT INTO "AppSearch" ("AppSearch") VALUES ('rebuild');
