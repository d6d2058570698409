-- DropIndex
DROP INDEX "MarketplaceApp_name_idx";

-- DropIndex
DROP INDEX "MarketplaceApp_state_idx";

-- DropIndex
DROP INDEX "MarketplaceApp_createdAt_idx";

-- AlterTable
ALTER TABLE "MarketplaceApp" ADD COLUMN     "visClass" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "AppVisClass" (
    "id" SERIAL NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "groupId" INTEGER NOT NULL,
    "marketplaceId" INTEGER NOT NULL,
    "ownerUse" INTEGER NOT NULL,
    "groupUse" INTEGER NOT NULL,
    "otherUse" INTEGER NOT NULL,

    CONSTRAINT "AppVisClass_pkey" PRIMARY KEY ("id")
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

    CONSTRAINT "AppCatalogCount_pkey" PRIMARY KEY ("visClass","type","state","zoneId","format","hypervisor","architecture")
);

-- CreateTable
CREATE TABLE "AppTagCount" (
    "visClass" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,
    "apps" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AppTagCount_pkey" PRIMARY KEY ("visClass","tag")
);

-- CreateIndex
CREATE UNIQUE INDEX "AppVisClass_ownerId_groupId_marketplaceId_ownerUse_groupUse_key" ON "AppVisClass"("ownerId", "groupId", "marketplaceId", "ownerUse", "groupUse", "otherUse");

-- CreateIndex
CREATE INDEX "MarketplaceApp_name_id_visClass_idx" ON "MarketplaceApp"("name", "id", "visClass");

-- CreateIndex
CREATE INDEX "MarketplaceApp_state_id_visClass_idx" ON "MarketplaceApp"("state", "id", "visClass");

-- CreateIndex
CREATE INDEX "MarketplaceApp_createdAt_id_visClass_idx" ON "MarketplaceApp"("createdAt", "id", "visClass");

-- CreateIndex
CREATE INDEX "MarketplaceApp_sizeBytes_id_visClass_idx" ON "MarketplaceApp"("sizeBytes", "id", "visClass");

-- CreateIndex
CREATE INDEX "MarketplaceApp_version_id_visClass_idx" ON "MarketplaceApp"("version", "id", "visClass");

-- CreateIndex
CREATE INDEX "MarketplaceApp_type_id_visClass_idx" ON "MarketplaceApp"("type", "id", "visClass");

-- CreateIndex
CREATE INDEX "MarketplaceApp_id_visClass_idx" ON "MarketplaceApp"("id", "visClass");


-- Hand-written from here (Prisma cannot express triggers, pg_trgm or GIN indexes): the catalog's index.
--
-- Each app belongs to one visibility class (owner, group, marketplace and the USE bit of each
-- rights digit): a row trigger sets "visClass" on every insert and on every update of those
-- columns, whatever code wrote the row. Statement triggers keep the counts per class
-- (AppCatalogCount, AppTagCount) from the transition tables, one grouped upsert per statement
-- (a batch insert of 500 apps is one upsert, not 500), so the catalog's totals and facets are
-- sums over the few classes a user sees. Tags are stored packed (",a,b,"): split as unpackTags
-- does (empty pieces dropped, each tag counted once per app).

-- substring search ("q": ILIKE on name, description, tags, version; a tag filter: LIKE on tags)
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "MarketplaceApp_name_trgm_idx" ON "MarketplaceApp" USING gin ("name" gin_trgm_ops);
CREATE INDEX "MarketplaceApp_description_trgm_idx" ON "MarketplaceApp" USING gin ("description" gin_trgm_ops);
CREATE INDEX "MarketplaceApp_tags_trgm_idx" ON "MarketplaceApp" USING gin ("tags" gin_trgm_ops);
CREATE INDEX "MarketplaceApp_version_trgm_idx" ON "MarketplaceApp" USING gin ("version" gin_trgm_ops);

-- the apps that exist already
INSERT INTO "AppVisClass" ("ownerId", "groupId", "marketplaceId", "ownerUse", "groupUse", "otherUse")
SELECT DISTINCT "ownerId", "groupId", "marketplaceId",
       ("ownerRights" & 4 <> 0)::int, ("groupRights" & 4 <> 0)::int, ("otherRights" & 4 <> 0)::int
FROM "MarketplaceApp";
UPDATE "MarketplaceApp" a SET "visClass" = c."id"
FROM "AppVisClass" c
WHERE c."ownerId" = a."ownerId" AND c."groupId" = a."groupId" AND c."marketplaceId" = a."marketplaceId"
  AND c."ownerUse" = (a."ownerRights" & 4 <> 0)::int AND c."groupUse" = (a."groupRights" & 4 <> 0)::int
  AND c."otherUse" = (a."otherRights" & 4 <> 0)::int;
INSERT INTO "AppCatalogCount" ("visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", "apps")
SELECT "visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", count(*)
FROM "MarketplaceApp" GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO "AppTagCount" ("visClass", "tag", "apps")
SELECT a."visClass", t."tag", count(DISTINCT a."id")
FROM "MarketplaceApp" a, unnest(string_to_array(a."tags", ',')) AS t("tag")
WHERE t."tag" <> '' GROUP BY 1, 2;

CREATE FUNCTION "app_vis_class"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ou int := (NEW."ownerRights" & 4 <> 0)::int;
    gu int := (NEW."groupRights" & 4 <> 0)::int;
    xu int := (NEW."otherRights" & 4 <> 0)::int;
BEGIN
    LOOP
        SELECT "id" INTO NEW."visClass" FROM "AppVisClass"
        WHERE "ownerId" = NEW."ownerId" AND "groupId" = NEW."groupId" AND "marketplaceId" = NEW."marketplaceId"
          AND "ownerUse" = ou AND "groupUse" = gu AND "otherUse" = xu;
        IF FOUND THEN
            RETURN NEW;
        END IF;
        -- a concurrent insert of the same class makes this one do nothing: read it again
        INSERT INTO "AppVisClass" ("ownerId", "groupId", "marketplaceId", "ownerUse", "groupUse", "otherUse")
        VALUES (NEW."ownerId", NEW."groupId", NEW."marketplaceId", ou, gu, xu)
        ON CONFLICT DO NOTHING;
    END LOOP;
END $$;

-- The counts change by (apps after the statement) - (apps before), grouped (rows sorted, so
-- that concurrent statements lock the count rows in one order); an update that touches none of
-- the counted columns nets to nothing and writes nothing.
CREATE FUNCTION "app_counts_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "AppCatalogCount" AS c ("visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", "apps")
    SELECT "visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", sum(d)
    FROM (
        SELECT "visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", 1 AS d FROM "app_new"
    ) x
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture") DO UPDATE SET "apps" = c."apps" + EXCLUDED."apps";
    INSERT INTO "AppTagCount" AS c ("visClass", "tag", "apps")
    SELECT "visClass", "tag", sum(d)
    FROM (
        SELECT a."visClass", t."tag", 1 * count(DISTINCT a."id") AS d
        FROM "app_new" a, unnest(string_to_array(a."tags", ',')) AS t("tag")
        WHERE t."tag" <> '' GROUP BY 1, 2
    ) x
    GROUP BY 1, 2 HAVING sum(d) <> 0
    ORDER BY 1, 2
    ON CONFLICT ("visClass", "tag") DO UPDATE SET "apps" = c."apps" + EXCLUDED."apps";
    RETURN NULL;
END $$;

CREATE FUNCTION "app_counts_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "AppCatalogCount" AS c ("visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", "apps")
    SELECT "visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", sum(d)
    FROM (
        SELECT "visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", -1 AS d FROM "app_old"
    ) x
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture") DO UPDATE SET "apps" = c."apps" + EXCLUDED."apps";
    INSERT INTO "AppTagCount" AS c ("visClass", "tag", "apps")
    SELECT "visClass", "tag", sum(d)
    FROM (
        SELECT a."visClass", t."tag", -1 * count(DISTINCT a."id") AS d
        FROM "app_old" a, unnest(string_to_array(a."tags", ',')) AS t("tag")
        WHERE t."tag" <> '' GROUP BY 1, 2
    ) x
    GROUP BY 1, 2 HAVING sum(d) <> 0
    ORDER BY 1, 2
    ON CONFLICT ("visClass", "tag") DO UPDATE SET "apps" = c."apps" + EXCLUDED."apps";
    RETURN NULL;
END $$;

CREATE FUNCTION "app_counts_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "AppCatalogCount" AS c ("visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", "apps")
    SELECT "visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", sum(d)
    FROM (
        SELECT "visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", 1 AS d FROM "app_new"
        UNION ALL
        SELECT "visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture", -1 AS d FROM "app_old"
    ) x
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("visClass", "type", "state", "zoneId", "format", "hypervisor", "architecture") DO UPDATE SET "apps" = c."apps" + EXCLUDED."apps";
    INSERT INTO "AppTagCount" AS c ("visClass", "tag", "apps")
    SELECT "visClass", "tag", sum(d)
    FROM (
        SELECT a."visClass", t."tag", 1 * count(DISTINCT a."id") AS d
        FROM "app_new" a, unnest(string_to_array(a."tags", ',')) AS t("tag")
        WHERE t."tag" <> '' GROUP BY 1, 2
        UNION ALL
        SELECT a."visClass", t."tag", -1 * count(DISTINCT a."id") AS d
        FROM "app_old" a, unnest(string_to_array(a."tags", ',')) AS t("tag")
        WHERE t."tag" <> '' GROUP BY 1, 2
    ) x
    GROUP BY 1, 2 HAVING sum(d) <> 0
    ORDER BY 1, 2
    ON CONFLICT ("visClass", "tag") DO UPDATE SET "apps" = c."apps" + EXCLUDED."apps";
    RETURN NULL;
END $$;

CREATE TRIGGER "MarketplaceApp_vis_class"
    BEFORE INSERT OR UPDATE OF "ownerId", "groupId", "marketplaceId", "ownerRights", "groupRights", "otherRights"
    ON "MarketplaceApp" FOR EACH ROW EXECUTE FUNCTION "app_vis_class"();
CREATE TRIGGER "MarketplaceApp_counts_insert" AFTER INSERT ON "MarketplaceApp"
    REFERENCING NEW TABLE AS "app_new" FOR EACH STATEMENT EXECUTE FUNCTION "app_counts_insert"();
CREATE TRIGGER "MarketplaceApp_counts_delete" AFTER DELETE ON "MarketplaceApp"
    REFERENCING OLD TABLE AS "app_old" FOR EACH STATEMENT EXECUTE FUNCTION "app_counts_delete"();
CREATE TRIGGER "MarketplaceApp_counts_update" AFTER UPDATE ON "MarketplaceApp"
    REFERENCING OLD TABLE AS "app_old" NEW TABLE AS "app_new" FOR EACH STATEMENT EXECUTE FUNCTION "app_counts_update"();
