import type { ResourceType } from "@/lib/permissions/resources";
import { RESOURCE_TYPES } from "@/lib/permissions/resources";

export const groupInclude = {
  createRights: true,
  _count: { select: { members: true } },
};

export const groupDetailInclude = {
  ...groupInclude,
  members: {
    include: { user: { select: { id: true, username: true, primaryGroupId: true } } },
    orderBy: { userId: "asc" as const },
  },
};

type GroupRow = {
  id: number;
  name: string;
  description: string;
  builtin: boolean;
  createdAt: Date;
  createRights: { resource: string }[];
  _count: { members: number };
};

export function toGroupDto(g: GroupRow) {
  const rights = new Set(g.createRights.map((r) => r.resource));
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    builtin: g.builtin,
    memberCount: g._count.members,
    createRights: RESOURCE_TYPES.filter((r) => rights.has(r)) as ResourceType[],
    createdAt: g.createdAt,
  };
}

export function toGroupDetailDto(
  g: GroupRow & { members: { user: { id: number; username: string; primaryGroupId: number } }[] },
) {
  return {
    ...toGroupDto(g),
    members: g.members.map((m) => ({ id: m.user.id, name: m.user.username, primary: m.user.primaryGroupId === g.id })),
  };
}
