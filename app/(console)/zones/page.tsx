import type { Metadata } from "next";
import { Suspense } from "react";
import { ZonesList } from "@/components/zones/zones-list";

export const metadata: Metadata = { title: "Zones" };

export default function ZonesPage() {
  return (
    <Suspense>
      <ZonesList />
    </Suspense>
  );
}
