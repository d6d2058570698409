import type { Metadata } from "next";
import { AppDetail } from "@/components/apps/app-detail";
import { parseId } from "@/components/ui/parse-id";

export const metadata: Metadata = { title: "App" };

export default async function AppPage({ params }: { params: Promise<{ id: string }> }) {
  return <AppDetail id={parseId((await params).id)} />;
}
