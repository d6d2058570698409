import type { ReactNode } from "react";
import { Table, Text } from "@mantine/core";

export interface InfoItem {
  label: string;
  value: ReactNode;
}

/** A detail view's Info tab: label/value rows, empty values as a dimmed dash. */
export function InfoList({ items, label = "Information" }: { items: InfoItem[]; label?: string }) {
  return (
    <Table aria-label={label} maw={760} layout="fixed" verticalSpacing={6}>
      <Table.Tbody>
        {items.map((item) => (
          <Table.Tr key={item.label}>
            <Table.Th scope="row" w={180} fw={600} c="dimmed" style={{ verticalAlign: "top" }}>
              {item.label}
            </Table.Th>
            <Table.Td style={{ overflowWrap: "anywhere" }}>
              {item.value === "" || item.value === null || item.value === undefined ? (
                <Text span c="dimmed">
                  —
                </Text>
              ) : (
                item.value
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
