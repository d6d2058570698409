import type { Metadata } from "next";
import { ImageDetail } from "@/components/images/image-detail";
import { parseId } from "@/components/ui/parse-id";

export const metadata: Metadata = { title: "Image" };

export default async function ImagePage({ params }: { params: Promise<{ id: string }> }) {
  return <ImageDetail id={parseId((await params).id)} />;
}
