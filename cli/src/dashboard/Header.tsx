import { Box, Text } from 'ink';
import type { DashboardState } from './dashboard-state.js';
import type { Theme } from './theme.js';

export function Header({ state, theme }: { state: DashboardState; theme: Theme }) {
  const s = state.status;
  const where = s ? `${s.runtime} · ${s.gatewayUrl}` : state.connection === 'no-lab' ? 'no lab is up' : 'connecting…';
  return (
    <Box flexDirection="column">
      <Box justifyContent="space-between">
        <Text bold color={theme.accent}>
          w2meet · lab {state.lab} · {where}
        </Text>
        <Text dimColor={theme.dim}>? help q quit</Text>
      </Box>
      {state.connection === 'no-lab' ? (
        <Text color={theme.warn}>
          No lab named {state.lab} is up. Start one with `w2meet up --lab {state.lab}` (or run `w2meet dashboard --up`); this screen follows
          it once it is.
        </Text>
      ) : null}
      {state.message ? (
        <Text color={state.busy ? theme.warn : undefined}>
          {state.busy ? '… ' : ''}
          {state.message}
        </Text>
      ) : null}
    </Box>
  );
}
