import { describe, expect, it } from 'vitest';
import { fill, fillString, templateNames } from './template.js';

describe('templates', () => {
  const vars = { users: [{ email: 'a@x' }, { email: 'b@x' }], i: 3, run: 'r1' };

  it('fills placeholders in strings, nested values and lists', () => {
    expect(fillString('/u/{{users.1.email}}?n={{ i }}', vars)).toBe('/u/b@x?n=3');
    expect(fill({ body: { a: ['{{run}}', 2] } }, vars)).toEqual({ body: { a: ['r1', 2] } });
  });

  it('refuses a placeholder with no value instead of sending an empty string', () => {
    expect(() => fillString('/u/{{users.5.email}}', vars)).toThrow('{{users.5.email}} has no value');
  });

  it('takes the i-th item of a list with $i, so two lists can be walked side by side', () => {
    expect(fillString('/s?a={{users.$i.email}}', { ...vars, i: 1 })).toBe('/s?a=b@x');
    expect(() => fillString('/s?a={{users.$i.email}}', { ...vars, i: 2 })).toThrow('{{users.$i.email}} has no value');
  });

  it('lists the names a text uses', () => {
    expect(templateNames('{{a.b}} and {{ c }}')).toEqual(['a.b', 'c']);
  });
});
