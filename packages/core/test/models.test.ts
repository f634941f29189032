import { describe, expect, it } from 'vitest';
import {
  CompanyGroupSchema,
  ConectaEventBus,
  IntegrationSchema,
  companiesByPriority,
  defineStatusDictionary,
  effectiveMode,
  nextIntakeState,
  normaliseCnpj,
  resolveStatus,
  unmappedStatuses,
  canTransition,
} from '../src/index.js';

describe('CNPJ', () => {
  it('accepts formatted and bare input with valid check digits', () => {
    expect(normaliseCnpj('11.222.333/0001-81')).toBe('11222333000181');
    expect(normaliseCnpj('11222333000181')).toBe('11222333000181');
    expect(normaliseCnpj('11.222.333/0001-82')).toBeNull();
    expect(normaliseCnpj('11111111111111')).toBeNull();
    expect(normaliseCnpj('1122233300018')).toBeNull();
    expect(normaliseCnpj('11a22333000181')).toBeNull();
  });

  it('validates a group: unique priorities, names the offending field', () => {
    const result = CompanyGroupSchema.safeParse({
      id: 'g1',
      name: 'Grupo',
      companies: [
        { cnpj: '11.222.333/0001-81', name: 'Matriz', priority: 1 },
        { cnpj: '45.723.174/0001-10', name: 'Filial', priority: 1 },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['companies', 1, 'priority']);
    const bad = CompanyGroupSchema.safeParse({ id: 'g', name: 'G', companies: [{ cnpj: '11.222.333/0001-80', name: 'X', priority: 1 }] });
    expect(bad.error!.issues[0]!.path).toEqual(['companies', 0, 'cnpj']);
  });

  it('orders active companies by priority', () => {
    const group = CompanyGroupSchema.parse({
      id: 'g1',
      name: 'Grupo',
      companies: [
        { cnpj: '45723174000110', name: 'B', priority: 2 },
        { cnpj: '11222333000181', name: 'A', priority: 1 },
        { cnpj: '19131243000197', name: 'C', priority: 3, active: false },
      ],
    });
    expect(companiesByPriority(group).map((company) => company.name)).toEqual(['A', 'B']);
    expect(group.allocation.strategy).toBe('priority-greedy');
  });
});

describe('status dictionary', () => {
  const dictionary = defineStatusDictionary('woocommerce', {
    pending: 'ignored',
    processing: 'pending',
    completed: 'finalized',
    cancelled: 'cancelled',
  });

  it('maps known statuses and reports unmapped ones instead of dropping them', () => {
    expect(resolveStatus(dictionary, 'processing')).toEqual({ state: 'pending', unmapped: false });
    expect(resolveStatus(dictionary, ' Completed ')).toEqual({ state: 'finalized', unmapped: false });
    expect(resolveStatus(dictionary, 'wc-custom')).toEqual({ state: 'unmapped', unmapped: true });
    expect(unmappedStatuses(dictionary, ['processing', 'wc-custom', 'x', 'wc-custom'])).toEqual(['wc-custom', 'x']);
  });

  it('ranks states so a late paid event never revives a cancelled order', () => {
    expect(nextIntakeState('cancelled', 'pending')).toBe('cancelled');
    expect(nextIntakeState('ignored', 'pending')).toBe('pending');
    expect(nextIntakeState('pending', 'finalized')).toBe('finalized');
    expect(nextIntakeState('finalized', 'cancelled')).toBe('cancelled');
    expect(nextIntakeState('finalized', 'pending')).toBe('finalized');
    expect(nextIntakeState(undefined, 'unmapped')).toBe('unmapped');
    expect(nextIntakeState('unmapped', 'pending')).toBe('pending');
    expect(nextIntakeState('pending', 'unmapped')).toBe('pending');
  });
});

describe('integration and movement rules', () => {
  it('single-company groups default to automatic mode', () => {
    const integration = IntegrationSchema.parse({
      id: 'loja-1',
      platform: 'tray',
      name: 'Loja Tray',
      groupId: 'g1',
      statusDictionary: { platform: 'tray', entries: {} },
    });
    expect(effectiveMode(integration, 1)).toBe('automatic');
    expect(effectiveMode(integration, 3)).toBe('on-command');
    expect(effectiveMode({ mode: 'automatic' }, 3)).toBe('automatic');
    expect(IntegrationSchema.safeParse({ ...integration, id: 'Bad Id' }).error!.issues[0]!.path).toEqual(['id']);
  });

  it('movement states move one way', () => {
    expect(canTransition('created', 'synced')).toBe(true);
    expect(canTransition('synced', 'done')).toBe(true);
    expect(canTransition('done', 'reversed')).toBe(true);
    expect(canTransition('done', 'cancelled')).toBe(false);
    expect(canTransition('cancelled', 'created')).toBe(false);
  });
});

describe('event bus', () => {
  it('keeps emitting to later listeners when one throws, and reports the failure', () => {
    const bus = new ConectaEventBus();
    const received: string[] = [];
    const failures: string[] = [];
    bus.on('listener-error', (event) => failures.push(event.eventName));
    bus.on('order-imported', () => {
      throw new Error('listener bug');
    });
    bus.on('order-imported', (event) => received.push(event.orderId));
    bus.once('order-imported', (event) => received.push(`once:${event.orderId}`));
    const payload = { integrationId: 'i', orderId: 'i:1', externalId: '1', created: true, intakeState: 'pending' };
    bus.emit('order-imported', payload);
    bus.emit('order-imported', { ...payload, orderId: 'i:2' });
    expect(received).toEqual(['i:1', 'once:i:1', 'i:2']);
    expect(failures).toEqual(['order-imported', 'order-imported']);
  });
});
