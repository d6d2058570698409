import type { Metadata } from "next";
import { Suspense } from "react";
import { VdcsList } from "@/components/vdcs/vdcs-list";

export const metadata: Metadata = { title: "VDCs" };

export default function VdcsPage() {
  return (
    <Suspense>
      <VdcsList />
    </Suspense>
  );
}
