"use client";

import type { ComponentProps, ReactNode } from "react";
import { useRouter } from "next/navigation";
import { Group, Text } from "@mantine/core";
import { DeleteAction } from "./delete-action";
import { PageHeader } from "./page-header";

type DeleteProps = Omit<ComponentProps<typeof DeleteAction>, "variant" | "onDeleted"> & {
  /** the list the page goes back to once the object is deleted */
  listPath: string;
};

function DeleteButton({ listPath, ...props }: DeleteProps) {
  const router = useRouter();
  return <DeleteAction {...props} variant="button" onDeleted={() => router.push(listPath)} />;
}

interface DetailHeaderProps {
  name: ReactNode;
  /** state, built-in, lock… shown after the name */
  badges?: ReactNode;
  /** the line under the title: "ID 12 · … · created …" */
  meta: ReactNode;
  /** the toolbar's actions, before Delete */
  children?: ReactNode;
  /** Delete, last in the toolbar (left out when not given) */
  remove?: DeleteProps;
}

/** The top of an object's page: name and badges, its toolbar ending in Delete, and the facts line. */
export function DetailHeader({ name, badges, meta, children, remove }: DetailHeaderProps) {
  return (
    <>
      <PageHeader
        title={
          badges ? (
            <Group gap="sm">
              {name}
              {badges}
            </Group>
          ) : (
            name
          )
        }
      >
        {remove ? (
          <>
            {children}
            <DeleteButton {...remove} />
          </>
        ) : (
          children
        )}
      </PageHeader>
      <Text size="sm" c="dimmed" mb="md">
        {meta}
      </Text>
    </>
  );
}
