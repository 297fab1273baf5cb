import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { resolveTarget } from './target.js';

const instances = [
  { id: 'redis', name: 'redis', replica: 1 },
  { id: 'availability-service-1', name: 'availability-service', replica: 1 },
  { id: 'availability-service-2', name: 'availability-service', replica: 2 },
];

describe('resolveTarget', () => {
  it('names every replica of a component, one replica, or one instance id', () => {
    expect(resolveTarget(instances, 'availability-service').map((i) => i.id)).toEqual(['availability-service-1', 'availability-service-2']);
    expect(resolveTarget(instances, 'availability-service#2').map((i) => i.id)).toEqual(['availability-service-2']);
    expect(resolveTarget(instances, 'availability-service-1').map((i) => i.id)).toEqual(['availability-service-1']);
    expect(resolveTarget(instances, 'redis').map((i) => i.id)).toEqual(['redis']);
  });

  it('lists the valid targets when the name is unknown', () => {
    expect(() => resolveTarget(instances, 'postgres')).toThrow(UsageError);
    try {
      resolveTarget(instances, 'availability-service#3');
    } catch (err) {
      expect((err as UsageError).hint).toContain('availability-service#2');
    }
  });
});
