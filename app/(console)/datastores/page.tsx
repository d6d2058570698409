import type { Metadata } from "next";
import { Suspense } from "react";
import { DatastoresList } from "@/components/datastores/datastores-list";

export const metadata: Metadata = { title: "Datastores" };

export default function DatastoresPage() {
  return (
    <Suspense>
      <DatastoresList />
    </Suspense>
  );
}
