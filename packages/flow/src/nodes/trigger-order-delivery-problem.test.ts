import { describeSettinglessTrigger } from './trigger-test-kit.ts'

describeSettinglessTrigger('trigger-order-delivery-problem', { event: 'order.delivery_problem' }, ['order'])
