import type { Metadata } from "next";
import { Suspense } from "react";
import { MarketplacesList } from "@/components/markets/marketplaces-list";

export const metadata: Metadata = { title: "Marketplaces" };

export default function MarketplacesPage() {
  return (
    <Suspense>
      <MarketplacesList />
    </Suspense>
  );
}
