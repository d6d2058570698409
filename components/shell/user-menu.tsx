"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Button, Menu } from "@mantine/core";
import { IconApi, IconChevronDown, IconLogout, IconUser } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { signOut } from "@/components/auth/api";
import { notifyError } from "@/components/ui/notify";

export function UserMenu({ username }: { username: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const onSignOut = async () => {
    try {
      await signOut();
      queryClient.clear();
      router.replace("/login");
    } catch (err) {
      notifyError(err);
    }
  };
  return (
    <Menu position="bottom-end" width={180}>
      <Menu.Target>
        <Button variant="default" aria-label="User menu" rightSection={<IconChevronDown size={14} aria-hidden />}>
          {username}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component={Link} href="/profile" leftSection={<IconUser size={16} aria-hidden />}>
          Profile
        </Menu.Item>
        <Menu.Item component={Link} href="/api-docs" leftSection={<IconApi size={16} aria-hidden />}>
          API docs
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" onClick={onSignOut} leftSection={<IconLogout size={16} aria-hidden />}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
