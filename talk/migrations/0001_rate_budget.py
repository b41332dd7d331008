"""The shared Talk API rate budget: slots of the sliding window, the 429 pause, reservations."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='BudgetPause',
            fields=[
                ('account', models.CharField(max_length=300, primary_key=True, serialize=False)),
                ('blocked_until', models.FloatField()),
            ],
            options={
                'db_table': 'talk_budget_pause',
            },
        ),
        migrations.CreateModel(
            name='BudgetSlot',
            fields=[
                ('pk', models.CompositePrimaryKey('account', 'slot', blank=True, editable=False, primary_key=True, serialize=False)),
                ('account', models.CharField(max_length=300)),
                ('slot', models.BigIntegerField()),
                ('spent', models.IntegerField()),
            ],
            options={
                'db_table': 'talk_budget_slot',
            },
        ),
        migrations.CreateModel(
            name='BudgetReservation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('account', models.CharField(max_length=300)),
                ('calls_left', models.IntegerField()),
                ('expires_slot', models.BigIntegerField()),
            ],
            options={
                'db_table': 'talk_budget_reservation',
                'indexes': [models.Index(fields=['account', 'expires_slot'], name='talk_budget_live')],
            },
        ),
    ]
