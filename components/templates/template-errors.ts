import { ApiError } from "@/components/api/client";

/**
 * Where a VM template's server-side error belongs in the structured form. The server names
 * the attribute at the start of each reason ("CPU must be…", "DISK 2: image 42…"), always on
 * the `template` parameter; this maps it to the field that edits that attribute.
 */
export function specFieldOf(reason: string): string {
  const disk = /^DISK (\d+):/.exec(reason);
  if (disk) return /SIZE/.test(reason) ? `spec.disks.${disk[1]}.size` : `spec.disks.${disk[1]}.imageId`;
  const nic = /^NIC (\d+):/.exec(reason);
  if (nic) return `spec.nics.${nic[1]}.network`;
  if (reason.startsWith("CPU")) return "spec.cpu";
  if (reason.startsWith("VCPU")) return "spec.vcpu";
  if (reason.startsWith("MEMORY")) return "spec.memoryMb";
  if (reason.startsWith("HYPERVISOR")) return "spec.hypervisor";
  if (reason.startsWith("GRAPHICS")) return "spec.graphics.type";
  if (reason.startsWith("OS")) return "spec.arch";
  if (reason.startsWith("CONTEXT")) return "spec.context.sshPublicKey";
  return "spec.extra";
}

/**
 * Field errors for a VM template form: `template` reasons go to the text box (all of them,
 * one a line) or, in the structured form, to the fields they name; other parameters keep
 * their names.
 */
export function templateFieldErrors(err: unknown, textMode: boolean, textField = "text"): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const errors: Record<string, string> = {};
  const add = (field: string, reason: string) => {
    errors[field] = errors[field] ? `${errors[field]}\n${reason}` : reason;
  };
  for (const p of err.invalidParams) {
    if (p.name !== "template") add(p.name, p.reason);
    else add(textMode ? textField : specFieldOf(p.reason), p.reason);
  }
  return errors;
}
