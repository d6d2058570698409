import type { Metadata } from "next";
import { Suspense } from "react";
import { AppsList } from "@/components/apps/apps-list";

export const metadata: Metadata = { title: "Apps" };

export default function AppsPage() {
  return (
    <Suspense>
      <AppsList />
    </Suspense>
  );
}
