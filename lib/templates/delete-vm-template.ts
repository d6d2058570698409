import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { maySee } from "@/lib/permissions/references";
import { findVmTemplate } from "./find-vm-template";
import { serviceTemplatesUsing } from "./service-template-rules";

/** Deletes a VM template; refused while a role of a service template of this zone uses it. */
export async function deleteVmTemplate({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  await db().$transaction(async (tx) => {
    const row = await findVmTemplate({ ...ctx, tx }, input.id, "delete");
    const users = await serviceTemplatesUsing(tx, ctx.zone.id, row.id);
    if (users.length) {
      // a service the user may not see still blocks the delete: it is named by its id alone
      const names = users.map((s) => (maySee(subjectOf(ctx), s) ? `${s.name} (#${s.id})` : `#${s.id}`)).join(", ");
      throw new AppError(
        "CONFLICT",
        `VM template ${row.name} is used by the roles of service template(s) ${names}; change or delete them first`,
      );
    }
    await tx.vmTemplate.delete({ where: { id: row.id } });
    await recordAudit(
      { ...ctx, tx },
      { action: "vm-template.delete", objectType: "VM_TEMPLATE", objectId: row.id, objectName: row.name },
    );
  });
}
