"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import { api } from "@/components/api/client";
import { getImage } from "@/components/images/api";
import { imageKeys } from "@/components/images/queries";
import { isShown, refLabel } from "@/components/permissions/object-ref";
import type { ServiceTemplateDto, VmTemplateDto } from "@/lib/api/operations/templates";
import type { DiskSlot, PublishPlan, PublishSource } from "./publish-body";
import { appKeys } from "./queries";

type VmTemplateSource = Pick<VmTemplateDto, "id" | "name" | "description" | "disks">;
type ServiceTemplateSource = Pick<ServiceTemplateDto, "id" | "name" | "description" | "roles">;

const getVmTemplate = (id: number, signal?: AbortSignal) => api<VmTemplateSource>(`/vm-templates/${id}`, { signal });
const getServiceTemplate = (id: number, signal?: AbortSignal) =>
  api<ServiceTemplateSource>(`/service-templates/${id}`, { signal });

// kept under the apps' keys: a publish (which invalidates apps) reads its sources afresh next time
const sourceKey = (kind: "vmTemplate" | "serviceTemplate", id: number) =>
  [...appKeys.all, "publish-source", kind, id] as const;

/** The disks that have an image, in disk order: the publish body's `disks` entries. */
const imageDisks = (t: VmTemplateSource): DiskSlot[] =>
  t.disks.flatMap((d) =>
    d.imageId === null
      ? []
      : [
          {
            slot: `DISK ${d.index}`,
            imageId: d.imageId,
            imageName: d.image ? refLabel("image", d.image) : `image #${d.imageId}`,
            problem: !d.image
              ? `Image #${d.imageId} no longer exists: reuse an app`
              : !isShown(d.image)
                ? `You may not use image #${d.imageId}: reuse an app`
                : null,
          },
        ],
  );

type PlanState = { plan: PublishPlan; error: null } | { plan: null; error: Error | null };

/**
 * Reads what is being published: the image, the VM template and its disks, or the service template
 * and each role's VM template. A role whose VM template cannot be read can still reuse an app.
 */
export function usePublishPlan(source: PublishSource): PlanState {
  const image = useQuery({
    queryKey: imageKeys.detail(source.id),
    queryFn: ({ signal }) => getImage(source.id, signal),
    enabled: source.kind === "image",
  });
  const vmTemplate = useQuery({
    queryKey: sourceKey("vmTemplate", source.id),
    queryFn: ({ signal }) => getVmTemplate(source.id, signal),
    enabled: source.kind === "vmTemplate",
  });
  const service = useQuery({
    queryKey: sourceKey("serviceTemplate", source.id),
    queryFn: ({ signal }) => getServiceTemplate(source.id, signal),
    enabled: source.kind === "serviceTemplate",
  });
  // a VM template the user may not see cannot be read: no request for it
  const roleIds =
    service.data?.roles.map((r) => (r.vmTemplate && isShown(r.vmTemplate) ? r.vmTemplate.id : null)) ?? [];
  const roleTemplates = useQueries({
    queries: roleIds.map((id) => ({
      queryKey: sourceKey("vmTemplate", id ?? 0),
      queryFn: ({ signal }: { signal: AbortSignal }) => getVmTemplate(id ?? 0, signal),
      enabled: id !== null,
      retry: false,
    })),
  });

  switch (source.kind) {
    case "image": {
      if (!image.data) return { plan: null, error: image.error };
      const { id, name, description, format, sizeBytes } = image.data;
      return { plan: { kind: "image", id, name, description, format, sizeBytes }, error: null };
    }
    case "vmTemplate": {
      const t = vmTemplate.data;
      if (!t) return { plan: null, error: vmTemplate.error };
      return {
        plan: { kind: "vmTemplate", id: t.id, name: t.name, description: t.description, disks: imageDisks(t) },
        error: null,
      };
    }
    case "serviceTemplate": {
      const s = service.data;
      if (!s) return { plan: null, error: service.error };
      if (roleTemplates.some((q, i) => roleIds[i] !== null && q.isPending)) return { plan: null, error: null };
      const roles = s.roles.map((r, i) => {
        const t = roleTemplates[i]?.data;
        const problem = !r.vmTemplate
          ? `VM template #${r.vmTemplateId} no longer exists: reuse an app`
          : !isShown(r.vmTemplate)
            ? `You may not use VM template #${r.vmTemplateId}: reuse an app`
            : !t
              ? `VM template ${r.vmTemplate.name} cannot be read (${roleTemplates[i]?.error?.message ?? "unknown error"}): reuse an app`
              : null;
        return { name: r.name, vmTemplate: r.vmTemplate, disks: t ? imageDisks(t) : [], problem };
      });
      return {
        plan: { kind: "serviceTemplate", id: s.id, name: s.name, description: s.description, roles },
        error: null,
      };
    }
  }
}
