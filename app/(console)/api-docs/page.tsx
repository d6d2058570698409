import type { Metadata } from "next";
import { ApiDocs } from "@/components/api-docs/api-docs";

export const metadata: Metadata = { title: "API docs" };

export default function ApiDocsPage() {
  return <ApiDocs />;
}
