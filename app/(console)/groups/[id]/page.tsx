import type { Metadata } from "next";
import { GroupDetail } from "@/components/groups/group-detail";
import { parseId } from "@/components/ui/parse-id";

export const metadata: Metadata = { title: "Group" };

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  return <GroupDetail id={parseId((await params).id)} />;
}
