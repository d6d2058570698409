import { describe, expect, it } from "vitest";
import { ApiError } from "@/components/api/client";
import { specFieldOf, templateFieldErrors } from "./template-errors";

describe("template errors in the VM template form", () => {
  it("puts each attribute's reason under the field that edits it", () => {
    expect(specFieldOf("CPU must be a positive number")).toBe("spec.cpu");
    expect(specFieldOf("VCPU must be a positive whole number")).toBe("spec.vcpu");
    expect(specFieldOf("MEMORY is required")).toBe("spec.memoryMb");
    expect(specFieldOf("DISK 2: image 42 does not exist or you may not use it")).toBe("spec.disks.2.imageId");
    expect(specFieldOf("DISK 1: SIZE must be a positive whole number of MB")).toBe("spec.disks.1.size");
    expect(specFieldOf('NIC 0: NETWORK_MODE must be "auto"')).toBe("spec.nics.0.network");
    expect(specFieldOf("line 4, column 2: unexpected ...")).toBe("spec.extra");
  });

  it("in the text tab, lists every reason under the text", () => {
    const err = new ApiError(400, "bad", "INVALID", [
      { name: "template", reason: "CPU is required" },
      { name: "template", reason: "MEMORY is required" },
      { name: "name", reason: "is required" },
    ]);
    expect(templateFieldErrors(err, true)).toEqual({
      text: "CPU is required\nMEMORY is required",
      name: "is required",
    });
    expect(templateFieldErrors(err, false)).toEqual({
      "spec.cpu": "CPU is required",
      "spec.memoryMb": "MEMORY is required",
      name: "is required",
    });
    expect(templateFieldErrors(new Error("x"), true)).toEqual({});
  });
});
