import type { Metadata } from "next";
import { parseId } from "@/components/ui/parse-id";
import { ZoneDetail } from "@/components/zones/zone-detail";

export const metadata: Metadata = { title: "Zone" };

export default async function ZonePage({ params }: { params: Promise<{ id: string }> }) {
  return <ZoneDetail id={parseId((await params).id)} />;
}
