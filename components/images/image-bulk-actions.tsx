"use client";

import { useSession } from "@/components/auth/session-context";
import { manageRefusal, usePermissionActions } from "@/components/permissions/bulk-permissions";
import { switchActions, type BulkAction } from "@/components/ui/bulk-actions";
import { firstRefusal } from "@/components/ui/bulk-plan";
import type { ImageDto } from "./api";
import { isJobActive } from "./image-state";
import { useDeleteImage, useInvalidateImages, useUpdateImage } from "./queries";
import { dismissUpload } from "./upload-manager";

const cap = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();

/** What the images table offers for its selected rows: the image page's actions, for many. */
export function useImageBulkActions(): BulkAction<ImageDto>[] {
  const me = useSession().user;
  const update = useUpdateImage();
  const remove = useDeleteImage();
  const invalidate = useInvalidateImages();
  const manage = (i: ImageDto) => manageRefusal(me, i);
  return [
    ...switchActions<ImageDto>({
      // only a READY image can be disabled, only a DISABLED one enabled (lib/images/update-image)
      enabled: (i) =>
        i.state === "READY"
          ? true
          : i.state === "DISABLED"
            ? false
            : `It is ${cap(i.state)}, neither ready nor disabled`,
      refusal: manage,
      set: (i, enabled) => update.mutateAsync({ id: i.id, patch: { enabled } }),
    }),
    {
      label: "Delete",
      color: "red",
      message: "Their bytes (or partial uploads) will be deleted from their datastores. This cannot be undone.",
      applies: (i) =>
        firstRefusal(
          manage(i),
          i.state === "LOCKED" && "Its bytes are moving; cancel its job first",
          i.state === "USED" && "A copy is reading it; wait until the copy ends",
          isJobActive(i.job) && "It has a job in progress; cancel it first",
        ),
      // an upload still running from this page stops with the image (the server drops its bytes)
      run: (i) => remove.mutateAsync(i.id).then(() => dismissUpload(i.id)),
    },
    ...usePermissionActions<ImageDto>({ collection: "/images", invalidate }),
  ];
}
