"use client";

import { useMemo, useState } from "react";
import { Alert, Button, Group, List, Loader, Modal, Paper, ScrollArea, Stack, Table, Text } from "@mantine/core";
import { IconAlertTriangle, IconCheck } from "@tabler/icons-react";
import { notifySuccess } from "./notify";
import {
  countOf,
  planBulk,
  runBulk,
  summarize,
  type BulkAction,
  type BulkPlan,
  type BulkResult,
  type Skipped,
} from "./bulk-plan";

export { switchActions, withForm, type BulkAction, type BulkForm } from "./bulk-plan";

/**
 * The rows checked in a table. A new page, filter, sort or search starts empty again (only the
 * records shown can be selected), and the selected records follow the list's latest data (a
 * row that left the page is dropped, a refreshed one is read anew).
 */
export function useBulkSelection<T extends { id: number | string }>(resetOn: unknown, records: T[] | undefined) {
  const key = JSON.stringify(resetOn);
  const [state, setState] = useState<{ key: string; selected: T[] }>({ key, selected: [] });
  // forgotten, not only hidden: back on the earlier page or search, nothing is checked again
  if (state.key !== key) setState({ key, selected: [] });
  const selected = useMemo(() => {
    const kept = state.key === key ? state.selected : [];
    if (!records) return kept;
    return kept.flatMap((s) => {
      const fresh = records.find((r) => r.id === s.id);
      return fresh ? [fresh] : [];
    });
  }, [state, key, records]);
  return {
    selected,
    onChange: (next: T[]) => setState({ key, selected: next }),
    clear: () => setState({ key, selected: [] }),
  };
}

interface BulkActionsProps<T> {
  selected: T[];
  /** empties the selection: after a run, and the Clear button */
  onClear: () => void;
  /** the object's name in the lists ("debian-12") */
  describe: (object: T) => string;
  noun: { one: string; many?: string };
  actions: BulkAction<T>[];
}

interface Run<T> {
  action: BulkAction<T>;
  plan: BulkPlan<T>;
  value: unknown;
  /** null until confirmed */
  results: BulkResult[] | null;
}

/**
 * The bar over a table with rows selected: "N selected", one button per action and Clear. An
 * action asks once, listing every object it will change and those it skips (and why), then
 * calls the API for each object (a few at a time) and shows each object's outcome.
 */
export function BulkActions<T>({ selected, onClear, describe, noun, actions }: BulkActionsProps<T>) {
  const [run, setRun] = useState<Run<T> | null>(null);
  const [busy, setBusy] = useState(false);
  const running = !!run?.results?.some((r) => r.status === "pending");

  const execute = async (action: BulkAction<T>, plan: BulkPlan<T>, value: unknown, show: boolean) => {
    setBusy(true);
    if (show)
      setRun({ action, plan, value, results: plan.targets.map((t) => ({ name: describe(t), status: "pending" })) });
    const results = await runBulk(plan.targets, describe, (o) => action.run(o, value), {
      onResult: (index, result) =>
        setRun((r) => (r?.results ? { ...r, results: r.results.map((x, i) => (i === index ? result : x)) } : r)),
    });
    // a failed refresh must not hide the outcome: the lists refresh on their own soon enough
    await Promise.resolve(action.settled?.()).catch(() => {});
    setBusy(false);
    onClear();
    const failed = results.some((r) => r.status === "failed");
    if (show || failed || plan.skipped.length > 0) setRun({ action, plan, value, results });
    else
      notifySuccess(`${capitalize(action.past ?? action.label)} ${countOf(results.length, noun)}: ${names(results)}`);
  };

  const start = (action: BulkAction<T>) => {
    const plan = planBulk(selected, describe, action.applies);
    if (action.confirm === false && !action.form && plan.targets.length > 0)
      void execute(action, plan, undefined, false);
    else setRun({ action, plan, value: action.form?.initial(plan.targets), results: null });
  };

  return (
    <>
      {selected.length > 0 ? (
        <Paper withBorder p="xs" role="region" aria-label="Bulk actions">
          <Group gap="sm">
            <Text size="sm" fw={600}>
              {selected.length} selected
            </Text>
            {actions.map((a) => (
              <Button
                key={a.label}
                size="xs"
                variant="light"
                color={a.color ?? "blue"}
                disabled={busy}
                onClick={() => start(a)}
              >
                {a.label}
              </Button>
            ))}
            <Button size="xs" variant="subtle" color="gray" disabled={busy} onClick={onClear}>
              Clear
            </Button>
          </Group>
        </Paper>
      ) : null}
      {run ? (
        <BulkModal
          run={run}
          noun={noun}
          describe={describe}
          running={running}
          onValue={(value) => setRun({ ...run, value })}
          onConfirm={() => void execute(run.action, run.plan, run.value, true)}
          onClose={() => setRun(null)}
        />
      ) : null}
    </>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const names = (results: BulkResult[]) => results.map((r) => r.name).join(", ");

interface BulkModalProps<T> {
  run: Run<T>;
  noun: { one: string; many?: string };
  describe: (object: T) => string;
  running: boolean;
  onValue: (value: unknown) => void;
  onConfirm: () => void;
  onClose: () => void;
}

function BulkModal<T>({ run, noun, describe, running, onValue, onConfirm, onClose }: BulkModalProps<T>) {
  const { action, plan, value, results } = run;
  const Fields = action.form?.Fields;
  const incomplete = action.form?.incomplete?.(value);
  const many = noun.many ?? `${noun.one}s`;
  const what = countOf(plan.targets.length, noun);
  const phrase = action.phrase ? action.phrase(what) : `${action.label} ${what}`;

  return (
    <Modal
      opened
      onClose={onClose}
      title={phrase}
      size="lg"
      closeOnClickOutside={!running}
      closeOnEscape={!running}
      withCloseButton={!running}
    >
      <Stack gap="md">
        {results ? (
          <BulkResults results={results} />
        ) : (
          <>
            {plan.targets.length ? (
              <Stack gap={4}>
                <Text size="sm">
                  {plan.targets.length === 1
                    ? `This ${noun.one} will be affected:`
                    : `These ${plan.targets.length} ${many} will be affected:`}
                </Text>
                <NameList label="Will be affected" names={plan.targets.map(describe)} />
              </Stack>
            ) : (
              <Alert color="yellow" title={`None of the selected ${many} can be changed`} role="alert">
                Every one of them is skipped, for the reasons below.
              </Alert>
            )}
            {action.message && plan.targets.length ? <Text size="sm">{action.message}</Text> : null}
            {Fields && plan.targets.length ? <Fields value={value} onChange={onValue} disabled={false} /> : null}
          </>
        )}
        <SkippedList skipped={plan.skipped} />
        <Group justify="flex-end">
          {results ? (
            <Button onClick={onClose} disabled={running}>
              Close
            </Button>
          ) : (
            <>
              {/* not "Cancel": the action itself may be "Cancel 2 jobs" */}
              <Button variant="default" onClick={onClose}>
                Back
              </Button>
              <Button
                color={action.color ?? "blue"}
                disabled={plan.targets.length === 0 || !!incomplete}
                title={incomplete}
                onClick={onConfirm}
              >
                {phrase}
              </Button>
            </>
          )}
        </Group>
        {incomplete && !results && plan.targets.length ? (
          <Text size="xs" c="dimmed" ta="right">
            {incomplete}
          </Text>
        ) : null}
      </Stack>
    </Modal>
  );
}

function NameList({ label, names }: { label: string; names: string[] }) {
  return (
    <ScrollArea.Autosize mah={220}>
      <List size="sm" spacing={2} aria-label={label}>
        {names.map((n, i) => (
          <List.Item key={`${n}-${i}`}>{n}</List.Item>
        ))}
      </List>
    </ScrollArea.Autosize>
  );
}

function SkippedList<T>({ skipped }: { skipped: Skipped<T>[] }) {
  if (skipped.length === 0) return null;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        Skipped ({skipped.length})
      </Text>
      <ScrollArea.Autosize mah={180}>
        <List size="sm" spacing={2} aria-label="Skipped">
          {skipped.map((s, i) => (
            <List.Item key={`${s.name}-${i}`}>
              {s.name}:{" "}
              <Text span size="sm" c="dimmed">
                {s.reason}
              </Text>
            </List.Item>
          ))}
        </List>
      </ScrollArea.Autosize>
    </Stack>
  );
}

/** One row per object: its name and "Done", the server's reason it failed, or a spinner. */
function BulkResults({ results }: { results: BulkResult[] }) {
  const summary = summarize(results);
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600} role="status" c={summary.failed ? "red" : undefined}>
        {summary.text}
      </Text>
      <ScrollArea.Autosize mah={320}>
        <Table aria-label="Results" withTableBorder verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Result</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {results.map((r, i) => (
              <Table.Tr key={`${r.name}-${i}`}>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>
                  {r.status === "pending" ? (
                    <Group gap={6}>
                      <Loader size={12} aria-hidden />
                      <Text span size="sm" c="dimmed">
                        Working…
                      </Text>
                    </Group>
                  ) : r.status === "done" ? (
                    <Group gap={6} c="green">
                      <IconCheck size={14} aria-hidden />
                      <Text span size="sm">
                        Done
                      </Text>
                    </Group>
                  ) : (
                    <Group gap={6} c="red" wrap="nowrap" align="flex-start">
                      <IconAlertTriangle size={14} aria-hidden style={{ flexShrink: 0, marginTop: 3 }} />
                      <Text span size="sm">
                        {r.message}
                      </Text>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
}
