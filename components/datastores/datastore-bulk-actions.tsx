"use client";

import { useSession } from "@/components/auth/session-context";
import { manageRefusal, usePermissionActions } from "@/components/permissions/bulk-permissions";
import { switchActions, type BulkAction } from "@/components/ui/bulk-actions";
import { countOf, firstRefusal } from "@/components/ui/bulk-plan";
import type { DatastoreDto } from "./api";
import { useDeleteDatastore, useInvalidateDatastores, useUpdateDatastore } from "./queries";

/** What the datastores list offers for its selected rows. */
export function useDatastoreBulkActions(): BulkAction<DatastoreDto>[] {
  const me = useSession().user;
  const update = useUpdateDatastore();
  const remove = useDeleteDatastore();
  const invalidate = useInvalidateDatastores();
  const manage = (d: DatastoreDto) => manageRefusal(me, d);
  return [
    ...switchActions<DatastoreDto>({
      enabled: (d) => d.enabled,
      refusal: manage,
      set: (d, enabled) => update.mutateAsync({ id: d.id, patch: { enabled } }),
    }),
    {
      label: "Delete",
      color: "red",
      message: "Only empty datastores can be deleted; a directory you chose is left on disk.",
      applies: (d) =>
        firstRefusal(
          manage(d),
          d.imageCount > 0 && `It still holds ${countOf(d.imageCount, { one: "image" })}; delete them first`,
        ),
      run: (d) => remove.mutateAsync(d.id),
    },
    ...usePermissionActions<DatastoreDto>({ collection: "/datastores", invalidate }),
  ];
}
