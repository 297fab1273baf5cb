/** The seven weekdays in the order every response lists them. */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** For each weekday, the one-hour slots a person is free, named by their start hour (0-23). */
export type Availabilities = Record<Weekday, number[]>;
export const PREFERENCES = ['first', 'last', 'random'] as const;
export type Preference = (typeof PREFERENCES)[number];
