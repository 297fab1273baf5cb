/** How to check one running instance, with everything the check needs; plain data, so it can be kept in a state file. */
export type ProbeSpec =
  | { kind: 'http'; url: string }
  | { kind: 'postgres'; dsn: string }
  | { kind: 'redis'; host: string; port: number; password: string }
  | { kind: 'amqp'; url: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'epmd'; host: string; port: number };

/** Where the host reaches an instance. */
export interface HostPort {
  host: string;
  port: number;
}
