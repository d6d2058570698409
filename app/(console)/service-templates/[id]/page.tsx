import type { Metadata } from "next";
import { ServiceTemplateDetail } from "@/components/templates/service-template-detail";
import { parseId } from "@/components/ui/parse-id";

export const metadata: Metadata = { title: "Service template" };

export default async function ServiceTemplatePage({ params }: { params: Promise<{ id: string }> }) {
  return <ServiceTemplateDetail id={parseId((await params).id)} />;
}
