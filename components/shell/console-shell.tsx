"use client";

import type { ReactNode } from "react";
import Link from "next/link";
import { Anchor, AppShell, Burger, Group } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { SessionProvider } from "@/components/auth/session-context";
import type { PageSession } from "@/lib/auth/page-session";
import { ActiveJobs } from "@/components/jobs/active-jobs";
import { ColorSchemeToggle } from "./color-scheme-toggle";
import { MainNav } from "./main-nav";
import { UserMenu } from "./user-menu";
import { ZoneMenu } from "./zone-menu";

export function ConsoleShell({ session, children }: { session: PageSession; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  return (
    <SessionProvider session={session}>
      <AppShell
        header={{ height: 56 }}
        navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
              <Anchor component={Link} href="/" fw={700} fz="lg" underline="never" c="inherit">
                Bazaar
              </Anchor>
              <ZoneMenu zone={session.zone} />
            </Group>
            <Group gap="xs" wrap="nowrap">
              <ActiveJobs />
              <ColorSchemeToggle />
              <UserMenu username={session.user.username} />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label="Main navigation">
          <MainNav isAdmin={session.user.isAdmin} onNavigate={close} />
        </AppShell.Navbar>
        <AppShell.Main>{children}</AppShell.Main>
      </AppShell>
    </SessionProvider>
  );
}
