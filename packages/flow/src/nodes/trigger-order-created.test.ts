import { describeSettinglessTrigger } from './trigger-test-kit.ts'

describeSettinglessTrigger('trigger-order-created', { event: 'order.created' }, ['order'])
