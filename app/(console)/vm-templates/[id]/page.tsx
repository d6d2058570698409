import type { Metadata } from "next";
import { VmTemplateDetail } from "@/components/templates/vm-template-detail";
import { parseId } from "@/components/ui/parse-id";

export const metadata: Metadata = { title: "VM template" };

export default async function VmTemplatePage({ params }: { params: Promise<{ id: string }> }) {
  return <VmTemplateDetail id={parseId((await params).id)} />;
}
