import type { Metadata } from "next";
import { Suspense } from "react";
import { VmTemplatesList } from "@/components/templates/vm-templates-list";

export const metadata: Metadata = { title: "VM templates" };

export default function VmTemplatesPage() {
  return (
    <Suspense>
      <VmTemplatesList />
    </Suspense>
  );
}
