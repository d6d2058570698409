"use client";

import { Tabs } from "@mantine/core";
import { useSession } from "@/components/auth/session-context";
import { ImagesTable, IMAGE_LIST_DEFAULTS } from "@/components/images/images-table";
import { holdsRight } from "@/components/permissions/bits";
import { PermissionsPanel } from "@/components/permissions/permissions-panel";
import { EnableToggle } from "@/components/ui/enable-toggle-button";
import { formatDateTime } from "@/components/ui/format";
import { DetailHeader } from "@/components/ui/detail-header";
import { QueryView } from "@/components/ui/query-view";
import { StateBadge } from "@/components/ui/state-badge";
import { useListLocalState } from "@/components/ui/use-list-local-state";
import type { DatastoreDto } from "./api";
import { DatastoreFormButton } from "./datastore-form-modal";
import { DatastoreInfoTab } from "./datastore-info-tab";
import { useDatastore, useDeleteDatastore, useInvalidateDatastores, useUpdateDatastore } from "./queries";

export function DatastoreDetail({ id }: { id: number }) {
  const query = useDatastore(id);
  return <QueryView query={query}>{(datastore) => <DatastoreView datastore={datastore} />}</QueryView>;
}

function DatastoreView({ datastore }: { datastore: DatastoreDto }) {
  const update = useUpdateDatastore();
  const me = useSession().user;
  const remove = useDeleteDatastore();
  const invalidate = useInvalidateDatastores();
  const images = useListLocalState(IMAGE_LIST_DEFAULTS);
  const canManage = holdsRight(me, datastore, "manage");

  return (
    <>
      <DetailHeader
        name={datastore.name}
        badges={<StateBadge state={datastore.state} />}
        meta={`ID ${datastore.id} · ${datastore.type} datastore · zone ${datastore.zone.name} · created ${formatDateTime(datastore.createdAt)}`}
        remove={{
          kind: "datastore",
          name: datastore.name,
          consequence: `The datastore ${datastore.name} will be deleted. Only an empty datastore can be deleted; a directory you chose is left on disk.`,
          disabledReason: canManage ? undefined : "You need MANAGE permission on this datastore",
          onDelete: () => remove.mutateAsync(datastore.id),
          listPath: "/datastores",
        }}
      >
        <EnableToggle
          what="Datastore"
          object={datastore}
          enabled={datastore.enabled}
          update={update}
          disabled={!canManage}
        />
        <DatastoreFormButton datastore={datastore} disabled={!canManage} />
      </DetailHeader>
      <Tabs defaultValue="info" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="info">Info</Tabs.Tab>
          <Tabs.Tab value="images">Images ({datastore.imageCount})</Tabs.Tab>
          <Tabs.Tab value="permissions">Permissions</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="info" pt="md">
          <DatastoreInfoTab datastore={datastore} />
        </Tabs.Panel>
        <Tabs.Panel value="images" pt="md">
          <ImagesTable list={images} datastoreId={datastore.id} />
        </Tabs.Panel>
        <Tabs.Panel value="permissions" pt="md">
          <PermissionsPanel
            resourcePath={`/datastores/${datastore.id}`}
            ownership={datastore}
            onChanged={invalidate}
            vdcGrants="datastore"
          />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
