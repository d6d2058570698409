"use client";

import { useState } from "react";
import Link from "next/link";
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Code,
  Group,
  List,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useSession } from "@/components/auth/session-context";
import { useGroupOptions } from "@/components/groups/queries";
import { notifySuccess } from "@/components/ui/notify";
import type { OwnershipDto } from "@/lib/permissions/shared-dto";
import {
  CLASSES,
  RIGHTS,
  gridOf,
  gridToOctal,
  gridToText,
  holdsRight,
  type PermClass,
  type PermGrid,
  type PermRight,
} from "./bits";
import type { VdcGrantsDto } from "./api";
import { useChmod, useChown, useOwnerOptions, useVdcGrants } from "./queries";

/** The kinds of object a VDC may grant (a marketplace's grant reaches its apps). */
export type GrantedKind = "datastore" | "marketplace" | "app";

interface PermissionsPanelProps {
  /** the object's API path under /api/v1, e.g. "/datastores/5" */
  resourcePath: string;
  ownership: OwnershipDto;
  /** refetch the object after a change (called whatever the outcome) */
  onChanged: () => void;
  /** for datastores, marketplaces and apps: also list the VDCs that grant USE on it */
  vdcGrants?: GrantedKind;
}

const CLASS_LABELS: Record<PermClass, string> = { owner: "Owner", group: "Group", other: "Other" };
const RIGHT_LABELS: Record<PermRight, string> = { use: "Use", manage: "Manage", admin: "Admin" };

/** Permissions (the 3×3 grid, chmod) and ownership (chown) of any shared object. */
export function PermissionsPanel({ resourcePath, ownership, onChanged, vdcGrants }: PermissionsPanelProps) {
  const me = useSession().user;
  const canManage = holdsRight(me, ownership, "manage");
  const canAdmin = holdsRight(me, ownership, "admin");
  return (
    <Stack gap="xl" maw={640}>
      {vdcGrants ? <VdcGrants resourcePath={resourcePath} kind={vdcGrants} isAdmin={me.isAdmin} /> : null}
      <PermissionsForm
        resourcePath={resourcePath}
        ownership={ownership}
        onChanged={onChanged}
        canManage={canManage}
        canAdmin={canAdmin}
      />
      <OwnershipForm
        resourcePath={resourcePath}
        ownership={ownership}
        onChanged={onChanged}
        canManage={canManage}
        isAdmin={me.isAdmin}
      />
    </Stack>
  );
}

type FormProps = Omit<PermissionsPanelProps, "vdcGrants"> & { canManage: boolean };

const ALL_OF_ZONE: Record<GrantedKind, string> = {
  datastore: "all datastores of the zone",
  marketplace: "all marketplaces of the zone",
  app: "all marketplaces of the zone",
};

const names = (groups: { name: string }[]) =>
  `${groups.length === 1 ? "group" : "groups"} ${groups.map((g) => g.name).join(", ")}`;

/** "Granted by VDC x to groups a, b (USE)": access that the bits below do not show. */
function VdcGrants({ resourcePath, kind, isAdmin }: { resourcePath: string; kind: GrantedKind; isAdmin: boolean }) {
  const grants = useVdcGrants(resourcePath);
  return (
    <Stack gap="xs" component="section" aria-labelledby="vdc-grants-title">
      <Title order={4} id="vdc-grants-title">
        VDC grants
      </Title>
      {grants.isPending ? (
        <Skeleton h={20} w="60%" />
      ) : grants.isError ? (
        <Text size="sm" c="red" role="alert">
          Could not load the VDC grants: {grants.error.message}
        </Text>
      ) : grants.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {isAdmin ? `No VDC grants this ${kind}.` : `No VDC of your groups grants this ${kind}.`}
        </Text>
      ) : (
        <List size="sm" spacing={4} aria-label="VDC grants">
          {grants.data.items.map((g) => (
            <GrantItem key={g.vdc.id} grant={g} kind={kind} />
          ))}
        </List>
      )}
    </Stack>
  );
}

function GrantItem({ grant, kind }: { grant: VdcGrantsDto["items"][number]; kind: GrantedKind }) {
  return (
    <List.Item>
      Granted by VDC{" "}
      <Anchor component={Link} href={`/vdcs/${grant.vdc.id}`} inherit>
        {grant.vdc.name}
      </Anchor>{" "}
      to {grant.groups.length ? names(grant.groups) : "no group yet"} (USE
      {kind === "app" ? ", through its marketplace" : ""})
      {grant.allOfZone ? (
        <Text span c="dimmed" inherit>
          {" "}
          ({ALL_OF_ZONE[kind]})
        </Text>
      ) : null}
    </List.Item>
  );
}

function PermissionsForm({
  resourcePath,
  ownership,
  onChanged,
  canManage,
  canAdmin,
}: FormProps & { canAdmin: boolean }) {
  const saved = ownership.permissions.octal;
  const [grid, setGrid] = useState<PermGrid>(() => gridOf(ownership.permissions));
  const [base, setBase] = useState(saved);
  // The object was refetched with other permissions: show what the server has now.
  if (base !== saved) {
    setBase(saved);
    setGrid(gridOf(ownership.permissions));
  }
  const chmod = useChmod(resourcePath, onChanged);
  const octal = gridToOctal(grid);
  const toggle = (c: PermClass, r: PermRight, value: boolean) =>
    setGrid((g) => ({ ...g, [c]: { ...g[c], [r]: value } }));
  const save = () => chmod.mutate(octal, { onSuccess: () => notifySuccess(`Permissions set to ${octal}`) });

  return (
    <Stack gap="sm" component="section" aria-labelledby="permissions-title">
      <Title order={4} id="permissions-title">
        Permissions
      </Title>
      {chmod.error ? (
        <Alert color="red" role="alert" title="Could not save permissions">
          {chmod.error.message}
        </Alert>
      ) : null}
      <PermissionGrid
        label="Permissions"
        grid={grid}
        // ADMIN bits need ADMIN permission on the object
        isDisabled={(r) => !canManage || (r === "admin" && !canAdmin) || chmod.isPending}
        onToggle={toggle}
        octalTestId="permissions-octal"
      />
      {!canManage ? (
        <Text size="sm" c="dimmed">
          You need MANAGE permission to change the permissions.
        </Text>
      ) : !canAdmin ? (
        <Text size="sm" c="dimmed">
          Changing ADMIN bits needs ADMIN permission.
        </Text>
      ) : null}
      <Group>
        <Button onClick={save} loading={chmod.isPending} disabled={!canManage || octal === saved}>
          Save permissions
        </Button>
      </Group>
    </Stack>
  );
}

/** The current value first, so a Select always shows what the object has. */
function withCurrent(options: { value: string; label: string }[], current: { id: number; name: string }) {
  return options.some((o) => o.value === String(current.id))
    ? options
    : [{ value: String(current.id), label: current.name }, ...options];
}

function OwnershipForm({ resourcePath, ownership, onChanged, canManage, isAdmin }: FormProps & { isAdmin: boolean }) {
  const savedOwner = String(ownership.owner.id);
  const savedGroup = String(ownership.group.id);
  const [ownerId, setOwnerId] = useState(savedOwner);
  const [groupId, setGroupId] = useState(savedGroup);
  const [base, setBase] = useState(`${savedOwner}:${savedGroup}`);
  if (base !== `${savedOwner}:${savedGroup}`) {
    setBase(`${savedOwner}:${savedGroup}`);
    setOwnerId(savedOwner);
    setGroupId(savedGroup);
  }
  // Admins choose among all users and groups; others keep the owner and pick one of their groups.
  const ownerOptions = withCurrent(useOwnerOptions(isAdmin), ownership.owner);
  const groupOptions = withCurrent(useGroupOptions(), ownership.group);
  const chown = useChown(resourcePath, onChanged);
  const dirty = ownerId !== savedOwner || groupId !== savedGroup;

  const save = () =>
    chown.mutate(
      {
        ...(ownerId !== savedOwner ? { ownerId: Number(ownerId) } : {}),
        ...(groupId !== savedGroup ? { groupId: Number(groupId) } : {}),
      },
      { onSuccess: () => notifySuccess("Ownership saved") },
    );

  return (
    <Stack gap="sm" component="section" aria-labelledby="ownership-title">
      <Title order={4} id="ownership-title">
        Ownership
      </Title>
      {chown.error ? (
        <Alert color="red" role="alert" title="Could not save ownership">
          {chown.error.message}
        </Alert>
      ) : null}
      {isAdmin ? (
        <Select
          label="Owner"
          data={ownerOptions}
          value={ownerId}
          onChange={(v) => v && setOwnerId(v)}
          searchable
          allowDeselect={false}
          disabled={!canManage || chown.isPending}
          maw={320}
        />
      ) : (
        <TextInput
          label="Owner"
          value={ownership.owner.name}
          readOnly
          description="Only administrators can give an object to another user"
          maw={320}
        />
      )}
      <Select
        label="Group"
        description={isAdmin ? undefined : "One of your groups"}
        data={groupOptions}
        value={groupId}
        onChange={(v) => v && setGroupId(v)}
        searchable
        allowDeselect={false}
        disabled={!canManage || chown.isPending}
        maw={320}
      />
      <Group>
        <Button onClick={save} loading={chown.isPending} disabled={!canManage || !dirty}>
          Save ownership
        </Button>
      </Group>
    </Stack>
  );
}

/** The 3×3 grid of rights (owner, group, other × use, manage, admin) with its octal and text forms. */
export function PermissionGrid(props: {
  label: string;
  grid: PermGrid;
  isDisabled: (right: PermRight) => boolean;
  onToggle: (c: PermClass, r: PermRight, value: boolean) => void;
  octalTestId: string;
}) {
  const { label, grid, isDisabled, onToggle, octalTestId } = props;
  return (
    <>
      <Table withTableBorder w="auto" maw={420} aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            {RIGHTS.map((r) => (
              <Table.Th key={r} ta="center">
                {RIGHT_LABELS[r]}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {CLASSES.map((c) => (
            <Table.Tr key={c}>
              <Table.Th scope="row">{CLASS_LABELS[c]}</Table.Th>
              {RIGHTS.map((r) => (
                <Table.Td key={r}>
                  <Checkbox
                    aria-label={`${CLASS_LABELS[c]} ${r}`}
                    checked={grid[c][r]}
                    disabled={isDisabled(r)}
                    onChange={(e) => onToggle(c, r, e.currentTarget.checked)}
                    styles={{ body: { justifyContent: "center" } }}
                  />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" aria-live="polite">
        Octal <Code data-testid={octalTestId}>{gridToOctal(grid)}</Code>{" "}
        <Text span c="dimmed" ff="monospace">
          {gridToText(grid)}
        </Text>
      </Text>
    </>
  );
}
