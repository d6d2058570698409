import type { Metadata } from "next";
import { Suspense } from "react";
import { GroupsList } from "@/components/groups/groups-list";

export const metadata: Metadata = { title: "Groups" };

export default function GroupsPage() {
  return (
    <Suspense>
      <GroupsList />
    </Suspense>
  );
}
