"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { NavLink, Stack, Text } from "@mantine/core";
import {
  IconApps,
  IconBuildingStore,
  IconBuildingWarehouse,
  IconClipboardList,
  IconDatabase,
  IconDisc,
  IconGauge,
  IconProgress,
  IconStack2,
  IconTemplate,
  IconUsers,
  IconUsersGroup,
  IconWorld,
  type Icon,
} from "@tabler/icons-react";

interface NavItem {
  href: string;
  label: string;
  icon: Icon;
  adminOnly?: boolean;
}

const SECTIONS: { title?: string; items: NavItem[] }[] = [
  { items: [{ href: "/", label: "Dashboard", icon: IconGauge }] },
  {
    title: "Storage",
    items: [
      { href: "/datastores", label: "Datastores", icon: IconDatabase },
      { href: "/images", label: "Images", icon: IconDisc },
    ],
  },
  {
    title: "Templates",
    items: [
      { href: "/vm-templates", label: "VM templates", icon: IconTemplate },
      { href: "/service-templates", label: "Service templates", icon: IconStack2 },
    ],
  },
  {
    title: "Marketplaces",
    items: [
      { href: "/apps", label: "Apps", icon: IconApps },
      { href: "/marketplaces", label: "Marketplaces", icon: IconBuildingStore },
    ],
  },
  {
    title: "System",
    items: [
      { href: "/users", label: "Users", icon: IconUsers, adminOnly: true },
      { href: "/groups", label: "Groups", icon: IconUsersGroup },
      { href: "/vdcs", label: "VDCs", icon: IconBuildingWarehouse },
      { href: "/zones", label: "Zones", icon: IconWorld },
      { href: "/audit", label: "Audit log", icon: IconClipboardList, adminOnly: true },
    ],
  },
  { items: [{ href: "/jobs", label: "Jobs", icon: IconProgress }] },
];

export function MainNav({ isAdmin, onNavigate }: { isAdmin: boolean; onNavigate: () => void }) {
  const pathname = usePathname();
  const isActive = (href: string) =>
    href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Stack gap="md">
      {SECTIONS.map((section, i) => (
        <div key={section.title ?? i}>
          {section.title ? (
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>
              {section.title}
            </Text>
          ) : null}
          {section.items
            .filter((item) => isAdmin || !item.adminOnly)
            .map((item) => (
              <NavLink
                key={item.href}
                component={Link}
                href={item.href}
                label={item.label}
                leftSection={<item.icon size={18} stroke={1.5} aria-hidden />}
                active={isActive(item.href)}
                aria-current={isActive(item.href) ? "page" : undefined}
                onClick={onNavigate}
              />
            ))}
        </div>
      ))}
    </Stack>
  );
}
