"use client";

import { useSession } from "@/components/auth/session-context";
import { manageRefusal, usePermissionActions } from "@/components/permissions/bulk-permissions";
import type { BulkAction } from "@/components/ui/bulk-actions";
import type { ServiceTemplateDto, VmTemplateDto } from "./api";
import { useDeleteServiceTemplate, useDeleteVmTemplate, useInvalidateTemplates } from "./queries";

type Template = VmTemplateDto | ServiceTemplateDto;

/** Delete, chown and chmod: what both kinds of template offer for their selected rows. */
function useTemplateBulkActions<T extends Template>(
  collection: string,
  remove: (id: number) => Promise<unknown>,
  message: string,
): BulkAction<T>[] {
  const me = useSession().user;
  const invalidate = useInvalidateTemplates();
  return [
    {
      label: "Delete",
      color: "red",
      message,
      applies: (t) => manageRefusal(me, t),
      run: (t) => remove(t.id),
    },
    ...usePermissionActions<T>({ collection, invalidate }),
  ];
}

export function useVmTemplateBulkActions() {
  const remove = useDeleteVmTemplate();
  return useTemplateBulkActions<VmTemplateDto>(
    "/vm-templates",
    remove.mutateAsync,
    "Images their disks use stay. A template a service template's role uses is kept and says so. This cannot be undone.",
  );
}

export function useServiceTemplateBulkActions() {
  const remove = useDeleteServiceTemplate();
  return useTemplateBulkActions<ServiceTemplateDto>(
    "/service-templates",
    remove.mutateAsync,
    "The VM templates of their roles stay. This cannot be undone.",
  );
}
