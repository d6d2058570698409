import type { Metadata } from "next";
import { Suspense } from "react";
import { ServiceTemplatesList } from "@/components/templates/service-templates-list";

export const metadata: Metadata = { title: "Service templates" };

export default function ServiceTemplatesPage() {
  return (
    <Suspense>
      <ServiceTemplatesList />
    </Suspense>
  );
}
