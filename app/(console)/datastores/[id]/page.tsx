import type { Metadata } from "next";
import { DatastoreDetail } from "@/components/datastores/datastore-detail";
import { parseId } from "@/components/ui/parse-id";

export const metadata: Metadata = { title: "Datastore" };

export default async function DatastorePage({ params }: { params: Promise<{ id: string }> }) {
  return <DatastoreDetail id={parseId((await params).id)} />;
}
