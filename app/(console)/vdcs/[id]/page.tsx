import type { Metadata } from "next";
import { parseId } from "@/components/ui/parse-id";
import { VdcDetail } from "@/components/vdcs/vdc-detail";

export const metadata: Metadata = { title: "VDC" };

export default async function VdcPage({ params }: { params: Promise<{ id: string }> }) {
  return <VdcDetail id={parseId((await params).id)} />;
}
