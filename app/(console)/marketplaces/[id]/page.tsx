import type { Metadata } from "next";
import { MarketplaceDetail } from "@/components/markets/marketplace-detail";
import { parseId } from "@/components/ui/parse-id";

export const metadata: Metadata = { title: "Marketplace" };

export default async function MarketplacePage({ params }: { params: Promise<{ id: string }> }) {
  return <MarketplaceDetail id={parseId((await params).id)} />;
}
